/**
 * The stand-ins for Node built-in modules that a bundle loads at start-up without using them
 * (infra/lib/bundling.ts aliases the module to a stand-in built with this): each export of the
 * module becomes a getter that loads it when first read, so the module costs nothing until then.
 *
 * `callThrough` names functions that code tests at load (`typeof zlib.crc32 === 'function'`): they
 * are plain functions that load the module when first called, so the test does not load it.
 * `process.getBuiltinModule` because a `require` of the module in a stand-in would be aliased
 * back to the stand-in. The names are the runtime Node's (a test per stand-in compares them).
 */
'use strict';

exports.defineOnFirstUse = (target, id, names, callThrough = []) => {
  const real = () => process.getBuiltinModule(id);
  for (const name of names) {
    if (callThrough.includes(name)) {
      target[name] = (...args) => real()[name](...args);
    } else {
      Object.defineProperty(target, name, { enumerable: true, get: () => real()[name] });
    }
  }
};
