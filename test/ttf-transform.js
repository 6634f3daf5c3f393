// Jest's stand-in for esbuild's file loader: a .ttf module is the file's (absolute) path.
module.exports = {
  process(_source, path) {
    return { code: `module.exports = ${JSON.stringify(path)};` };
  },
};
