// Lines that sites wrap around an article (share buttons, newsletter pitches,
// "Read more" teasers, credits): never summary sentences, never keywords.
export const BOILERPLATE =
  /^(?:read more|related|see also|share this|subscribe|sign up|follow us|click here|advertisement|sponsored|all rights reserved|copyright|©|disclaimer|editing by|reporting by|photo|image|source:)|newsletter|cookie|terms of (?:use|service)|privacy policy/i;

export const isBoilerplate = (sentence: string): boolean => BOILERPLATE.test(sentence.trim());
