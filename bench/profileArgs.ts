// BENCH_CPU_PROFILE_DIR=dir: Node flags that make a process write a .cpuprofile
// there on exit (open it in Chrome DevTools or speedscope). Empty otherwise.
export function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}
