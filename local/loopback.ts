// Starts an HTTP server of the local stack on 127.0.0.1 (a free port) and closes it cleanly.
import type http from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  endpoint: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: http.Server, beforeClose: () => void = () => {}): Promise<Listening> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        beforeClose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
