// The dashboard build: relative asset paths (served under a bucket path), hashed
// file names (immutable in the bucket), lightweight-charts in its own chunk loaded
// only by the chart views. `vite` (dev) serves a config.json for the local stack.
import { defineConfig, type Plugin } from "vite";

const env = (name: string, fallback: string) => process.env[name] || fallback;

/** Dev server only: the config.json that `npm start` would upload, pointing at the running local stack. */
function devConfig(): Plugin {
  return {
    name: "cryptoviz-dev-config",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use("/config.json", (_req, res) => {
        const host = env("CRYPTOVIZ_HOST", "127.0.0.1");
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            // Proxied (below): the API allows the bucket's origin, not the dev server's.
            apiUrl: "/api",
            mqttUrl: `ws://${host}:${env("CRYPTOVIZ_MQTT_WS_PORT", "9001")}/mqtt`,
            mqttUsername: env("CRYPTOVIZ_MQTT_DASHBOARD_USER", "dashboard"),
            mqttPassword: env("CRYPTOVIZ_MQTT_DASHBOARD_PASSWORD", "local-dashboard-secret"),
            auth: { mode: "dev", token: env("CRYPTOVIZ_DEV_TOKEN", "local-dev-token"), user: "developer" },
          }),
        );
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  logLevel: "warn",
  plugins: [devConfig()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      "/api": {
        target: `http://${env("CRYPTOVIZ_HOST", "127.0.0.1")}:${env("CRYPTOVIZ_API_PORT", "3000")}`,
        rewrite: (path) => path.replace(/^\/api/, ""),
      },
    },
  },
});
