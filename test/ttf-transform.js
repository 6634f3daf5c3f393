// Jest's stand-in for esbuild's binary loader: a .ttf module is its bytes.
module.exports = {
  process(_source, path) {
    return { code: `module.exports = new Uint8Array(require('node:fs').readFileSync(${JSON.stringify(path)}));` };
  },
};
