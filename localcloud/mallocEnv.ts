// glibc's allocator settings for the launcher and everything it starts. With a
// malloc arena per thread and a mmap threshold that rises after each large free,
// the search thread's big typed arrays (rebuilt at every merge) came back from
// arenas that never shrank: at 2,000 trades/s the launcher's native memory grew
// to ~400 MB beyond what its isolates held (1.5 GB in all); with these it stayed
// at ~0 (1.05–1.14 GB), and serverless offline went from ~308 to ~263 MB
// (`npm run bench -- soak --rate=250`). glibc reads them at start-up, so
// `npm start`/`npm run demo` set them on the command line (package.json); the
// launcher passes them on to its children. Other C libraries ignore them.
export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "262144",
};
