import path from 'node:path';
import { createBackend } from '../../backend';
import {
  DEFAULT_UPLOAD_LIMITS,
  isLoopbackHost,
  isWildcardHost,
  normaliseHostName,
  startServer,
} from '../../server';
import { appRoot } from '../../version';
import { COMPUTE_DEVICE_HELP, parseComputeDevice } from '../../../src-shared/config';
import { numberOption, parseArgs } from '../args';
import { deviceOption } from './run';
import { CliError, type CliCommand } from '../command';

const USAGE = `Usage: hitmic serve [--host H] [--port P] [--allow-host NAME]... [--upload-quota GB] [--json]

Serves HiTMic Studio in a browser: the same UI as the desktop app, talking to a backend
in this process. Listens on 127.0.0.1 and a free port unless told otherwise.

Every start makes a new random token and prints it once in the URL (as Jupyter does);
requests without it get 401, on loopback too, since other users of this machine can reach
loopback. Open the printed URL: the browser then keeps the token in a cookie.

Options:
  --host H            address to listen on (default 127.0.0.1); 0.0.0.0 or :: listen on
                      every address of this machine (the URL printed is then reachable)
  --port P            port to listen on (default: a free port)
  --allow-host NAME   another name the server answers to, e.g. a DNS alias or a proxy's
                      name (repeatable). It always answers to localhost, 127.0.0.1, [::1]
                      and the --host address; any other Host header is refused (DNS rebinding)
  --upload-quota GB   most that files dropped in the browser may hold together
                      (default ${DEFAULT_UPLOAD_LIMITS.quotaBytes / 2 ** 30}; they are removed when the server stops)
  --device D          where the Viewer's preview models run: ${COMPUTE_DEVICE_HELP}
                      (default auto)
  --json              print {"url": ..., "token": ...} as one JSON line instead of text

Stop with Ctrl-C.
`;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the app in a browser (a token is always required)',
  usage: USAGE,
  async run(argv, io) {
    const { options } = parseArgs(
      argv,
      {
        host: { type: 'string' },
        port: { type: 'string' },
        device: { type: 'string' },
        'allow-host': { type: 'list' },
        'upload-quota': { type: 'string' },
        json: { type: 'boolean' },
      },
      'serve',
    );
    const host = (options.host as string | undefined) ?? '127.0.0.1';
    const port = numberOption(options.port, 'port', { integer: true, min: 0 }) ?? 0;
    const quotaGb = numberOption(options['upload-quota'], 'upload-quota', { min: 0 });
    const allowHosts = (options['allow-host'] as string[] | undefined) ?? [];
    for (const name of allowHosts)
      if (!normaliseHostName(name))
        throw new CliError(
          `option '--allow-host' takes a host name or address without scheme or port (e.g. studio.lab.example), got '${name}'`,
        );
    const device = deviceOption(options.device);
    const backend = createBackend({
      shell: 'serve',
      compute: device ? parseComputeDevice(device) : undefined,
    });
    const server = await startServer({
      backend,
      host,
      port,
      allowHosts,
      uploadLimits: quotaGb === undefined ? {} : { quotaBytes: quotaGb * 2 ** 30 },
      rendererDir: path.join(appRoot(), 'dist', 'renderer'),
    });
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ url: server.openUrl, token: server.token })}\n`);
    } else if (isWildcardHost(host)) {
      io.stdout.write(
        `HiTMic Studio is serving on every address of this machine (${host}), port ${server.port}.\n` +
          `  from this machine:   ${server.openUrl}\n` +
          `  from other machines: ${server.networkUrl}\n` +
          'Anyone who can reach this machine and has the token can use it as you; keep the token private.\n',
      );
    } else {
      io.stdout.write(`HiTMic Studio is serving at ${server.openUrl}\n`);
      if (!isLoopbackHost(host))
        io.stdout.write(
          'Anyone who can reach this address and has the token can use it as you; keep it private.\n',
        );
    }
    if (!options.json) io.stdout.write('Press Ctrl-C to stop.\n');
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
