// Drives TimelineJS (from its npm package) in headless Chromium the way a reader does: opens the page,
// clicks "next" through every slide, and reports what each slide shows once it is the current one.
// Used by test_timelinejs_render.py; run with NODE_PATH pointing at the node_modules that hold
// playwright-core.  Usage: node timelinejs_render.cjs URL OUT.json SHOT_DIR [SHOT_INDEX...]
const { chromium } = require("playwright-core");

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function main() {
  const [url, out, shotDir, ...shotArgs] = process.argv.slice(2);
  const shots = new Set(shotArgs.map(Number));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(url);
    await page.waitForSelector(".tl-slide");
    const count = await page.locator(".tl-slide").count();
    const markers = await page.locator(".tl-timemarker").count();
    const labels = (sel) => page.$$eval(sel, (es) => es.map((e) => e.textContent.trim()));
    const groups = await labels(".tl-timegroup-message");
    const eras = await labels(".tl-timeera-text");
    const slides = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) await page.click(".tl-slidenav-next");
      // the slide has slid into view, and its media (loaded 1.2 s after it comes near) is in
      await page.waitForFunction((i) => {
        const r = document.querySelectorAll(".tl-slide")[i].getBoundingClientRect();
        return Math.abs(r.left) < 1;
      }, i);
      await page.waitForFunction((i) => {
        const s = document.querySelectorAll(".tl-slide")[i];
        return !s.querySelector(".tl-media") || s.querySelector(".tl-media-item");
      }, i, { timeout: 15000 }).catch(() => problems.push(`slide ${i}: media never loaded`));
      await page.waitForTimeout(200);
      slides.push(await page.evaluate((i) => {
        const s = document.querySelectorAll(".tl-slide")[i];
        // textContent: the text itself (innerText would apply the theme's capitals); <br> as a line break
        const text = (sel) => {
          const e = s.querySelector(sel);
          if (!e) return null;
          const c = e.cloneNode(true);
          c.querySelectorAll("br").forEach((b) => b.replaceWith("\n"));
          return c.textContent.replace(/[ \t\r\n]*\n[ \t\r\n]*/g, "\n").replace(/[ \t]+/g, " ").trim();
        };
        const visible = (sel) => {
          const e = s.querySelector(sel);
          if (!e) return false;
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth + 1;
        };
        const media = s.querySelector(".tl-media-item");
        return {
          id: s.id,
          title_slide: s.classList.contains("tl-slide-titleslide"),
          headline: text(".tl-headline"),
          date: text(".tl-headline-date"),
          text: text(".tl-text-content"),
          media_kind: media ? [...media.classList].filter((c) => c !== "tl-media-item").join(" ") : null,
          quote: text(".tl-media-blockquote blockquote"),
          quote_visible: visible(".tl-media-blockquote blockquote"),
          credit: text(".tl-credit"),
          credit_visible: visible(".tl-credit"),
          credit_links: [...s.querySelectorAll(".tl-credit a")].map((a) => a.getAttribute("href")),
          caption: text(".tl-caption"),
          message: visible(".tl-message-content") ? text(".tl-message-content") : null,
        };
      }, i));
      if (shots.has(i)) await page.screenshot({ path: `${shotDir}/slide-${i}.png` });
    }
    require("fs").writeFileSync(out, JSON.stringify({ count, markers, groups, eras, slides, problems }, null, 1));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });
