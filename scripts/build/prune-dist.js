// Removes compiled files whose TypeScript source is gone. `tsc -b` is incremental and never deletes
// outputs, so a moved or deleted module would otherwise stay loadable from dist/ (a stale
// `local/pexip-simulator/model.js` shadows the `model/` folder that replaced it).
const { existsSync, readdirSync, rmSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');

function prune(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      prune(path);
      continue;
    }
    const compiled = name.match(/^(.*)\.(js|js\.map|d\.ts)$/);
    if (!compiled) continue;
    const source = join(root, relative(dist, dir), `${compiled[1]}.ts`);
    if (!existsSync(source)) rmSync(path);
  }
}

for (const top of ['src', 'orchestrators', 'activities', 'entities', 'local', 'bench']) prune(join(dist, top));
