// Shared vitest settings. Tests import sibling workspace packages from their sources, so a
// change in `core` is seen by the tests of `layers` without rebuilding `core` first.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { defineConfig, type ViteUserConfig as UserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  const dir = join(root, 'packages');
  for (const name of readdirSync(dir)) {
    const src = join(dir, name, 'src');
    if (!existsSync(join(src, 'index.ts'))) continue;
    for (const file of readdirSync(src)) {
      // subpath exports such as @gradsight/core/conformance map to src/conformance.ts
      if (file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'index.ts') {
        const sub = file.slice(0, -3);
        aliases.push({ find: new RegExp(`^@gradsight/${name}/${sub}$`), replacement: join(src, file) });
      }
    }
    aliases.push({ find: new RegExp(`^@gradsight/${name}$`), replacement: join(src, 'index.ts') });
  }
  return aliases;
}

export function packageConfig(overrides: UserConfig['test'] = {}): UserConfig {
  return defineConfig({
    resolve: { alias: workspaceAliases() },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      testTimeout: 60_000,
      ...overrides,
    },
  });
}
