/**
 * The kernels in a real browser: builds test/browser with Vite (assetsInlineLimit: 0, so the .wasm
 * files are emitted as assets exactly as in a user's app), serves it on 127.0.0.1, opens it in
 * Debian's Chromium through playwright-core, and asserts the page's kernel-vs-reference results.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const here = fileURLToPath(new URL('.', import.meta.url));
const coreSrc = fileURLToPath(new URL('../../core/src/', import.meta.url));
const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

interface PageResults {
  detected: string;
  features: { simd: boolean; relaxedSimd: boolean };
  backends: string[];
  cases: { build: string; name: string; error: string | null }[];
  fatal: string | null;
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${addr.port}/` });
    }),
  );
}

describe.skipIf(!existsSync(CHROMIUM))(`Chromium (${CHROMIUM})`, () => {
  let results: PageResults;
  /** Undo steps, run last-in first-out: the browser closes before the server and the files go. */
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'gs-wasm-page-'));
    cleanup.push(() => rmSync(outDir, { recursive: true, force: true }));
    await build({
      root: join(here, 'browser'),
      logLevel: 'warn',
      configFile: false,
      resolve: {
        alias: [
          { find: /^@gradsight\/core\/conformance$/, replacement: join(coreSrc, 'conformance.ts') },
          { find: /^@gradsight\/core$/, replacement: join(coreSrc, 'index.ts') },
        ],
      },
      build: { outDir, emptyOutDir: true, assetsInlineLimit: 0, target: 'es2022', minify: false },
    });
    const { server, url } = await serve(outDir);
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections(); // keep-alive connections would hold close() open
        }),
    );

    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'gs-chromium-'));
    cleanup.push(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 120_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    cleanup.push(() => context.close());
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => window.__results !== undefined, undefined, { timeout: 120_000 });
    results = (await page.evaluate(() => window.__results)) as PageResults;
    if (pageErrors.length) results.fatal ??= pageErrors.join('\n');
  }, 180_000);

  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  }, 60_000);

  it('loads the wasm modules emitted by the Vite build', () => {
    expect(results.fatal).toBeNull();
    expect(results.features.simd).toBe(true);
    const expected = ['wasm-scalar', 'wasm-simd', ...(results.features.relaxedSimd ? ['wasm-relaxed'] : [])];
    expect(results.backends.slice(1)).toEqual(expected);
    // 'auto' takes the fastest build the browser supports
    expect(results.backends[0]).toBe(`wasm-${results.detected}`);
    expect(results.detected).toBe(results.features.relaxedSimd ? 'relaxed' : 'simd');
  });

  it('matches the reference backend on every kernel case in every build', () => {
    expect(results.cases.length).toBeGreaterThan(0);
    const failures = results.cases.filter((c) => c.error).map((c) => `[${c.build}] ${c.error}`);
    expect(failures).toEqual([]);
  });
});
