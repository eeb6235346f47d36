import path from 'node:path';
import { createBackend } from '../../backend';
import { isLoopbackHost, startServer } from '../../server';
import { appRoot } from '../../version';
import { COMPUTE_DEVICE_HELP, parseComputeDevice } from '../../../src-shared/config';
import { numberOption, parseArgs } from '../args';
import { deviceOption } from './run';
import type { CliCommand } from '../command';

const USAGE = `Usage: hitmic serve [--host H] [--port P] [--json]

Serves HiTMic Studio in a browser: the same UI as the desktop app, talking to a backend
in this process. Listens on 127.0.0.1 and a free port unless told otherwise.

Options:
  --host H   address to listen on (default 127.0.0.1). Any non-loopback address requires
             a random token, printed once in the URL; requests without it get 401.
  --port P   port to listen on (default: a free port)
  --device D where the Viewer's preview models run: ${COMPUTE_DEVICE_HELP} (default auto)
  --json     print {"url": ..., "token": ...} as one JSON line instead of text

Stop with Ctrl-C.
`;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the app in a browser (loopback only unless a token is used)',
  usage: USAGE,
  async run(argv, io) {
    const { options } = parseArgs(
      argv,
      {
        host: { type: 'string' },
        port: { type: 'string' },
        device: { type: 'string' },
        json: { type: 'boolean' },
      },
      'serve',
    );
    const host = (options.host as string | undefined) ?? '127.0.0.1';
    const port = numberOption(options.port, 'port', { integer: true, min: 0 }) ?? 0;
    const device = deviceOption(options.device);
    const backend = createBackend({
      shell: 'serve',
      compute: device ? parseComputeDevice(device) : undefined,
    });
    const server = await startServer({
      backend,
      host,
      port,
      rendererDir: path.join(appRoot(), 'dist', 'renderer'),
    });
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ url: server.openUrl, token: server.token ?? null })}\n`);
    } else {
      io.stdout.write(`HiTMic Studio is serving at ${server.openUrl}\n`);
      if (!isLoopbackHost(host)) {
        io.stdout.write('Anyone who can reach this address needs the token above; keep it private.\n');
      }
      io.stdout.write('Press Ctrl-C to stop.\n');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await backend.dispose();
    return 0;
  },
};
