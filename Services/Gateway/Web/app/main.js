// Entry point: picks up the session the refresh cookie still holds, then routes.
import { restore } from "./session.js";
import { start } from "./router.js";

await restore();
await start();
