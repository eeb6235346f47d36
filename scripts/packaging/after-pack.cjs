// electron-builder afterPack hook: keep only this package's platform/arch of onnxruntime-node's
// native binaries (the npm package ships Linux, macOS and Windows builds for x64 and arm64).
const fs = require('node:fs');
const path = require('node:path');

const PLATFORM = { linux: 'linux', mac: 'darwin', windows: 'win32' };
// electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal
const ARCH = { 1: 'x64', 3: 'arm64', 4: 'universal' };

exports.default = async function afterPack(context) {
  const resources =
    context.electronPlatformName === 'darwin'
      ? path.join(
          context.appOutDir,
          `${context.packager.appInfo.productFilename}.app`,
          'Contents',
          'Resources',
        )
      : path.join(context.appOutDir, 'resources');
  const napiRoot = path.join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin');
  if (!fs.existsSync(napiRoot))
    throw new Error(
      `onnxruntime-node binaries were not unpacked to ${napiRoot}: check asarUnpack in electron-builder.yml`,
    );
  const keepPlatform = PLATFORM[context.packager.platform.name];
  const keepArch = ARCH[context.arch];
  for (const napi of fs.readdirSync(napiRoot)) {
    for (const platform of fs.readdirSync(path.join(napiRoot, napi))) {
      const platformDir = path.join(napiRoot, napi, platform);
      if (platform !== keepPlatform) {
        fs.rmSync(platformDir, { recursive: true, force: true });
        continue;
      }
      if (keepArch === 'universal') continue;
      for (const arch of fs.readdirSync(platformDir)) {
        if (arch !== keepArch) fs.rmSync(path.join(platformDir, arch), { recursive: true, force: true });
      }
    }
  }
};
