// Checks the relative links of the documentation: every [text](path) and [text](path#anchor)
// in README.md and docs/**/*.md must name an existing file, and an anchor must be a heading of
// the target page (GitHub's slugs: lower case, punctuation dropped, spaces as '-').
// Usage: node check-doc-links.mjs REPOSITORY_ROOT
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const root = process.argv[2];
if (!root) {
    console.error("usage: node check-doc-links.mjs REPOSITORY_ROOT");
    process.exit(2);
}

function pages(dir) {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return pages(path);
        return name.endsWith(".md") ? [path] : [];
    });
}

function slug(heading) {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

const anchorsOf = new Map();
function anchors(page) {
    if (!anchorsOf.has(page)) {
        const seen = new Map();
        const set = new Set();
        let fenced = false;
        for (const line of readFileSync(page, "utf8").split("\n")) {
            if (/^```/.test(line)) fenced = !fenced;
            const m = !fenced && line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
            if (!m) continue;
            const base = slug(m[1]);
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            set.add(n ? `${base}-${n}` : base);
        }
        anchorsOf.set(page, set);
    }
    return anchorsOf.get(page);
}

let broken = 0;
let checked = 0;
for (const page of [join(root, "README.md"), ...pages(join(root, "docs"))]) {
    let fenced = false;
    readFileSync(page, "utf8")
        .split("\n")
        .forEach((line, i) => {
            if (/^```/.test(line)) fenced = !fenced;
            if (fenced) return;
            const text = line.replace(/`[^`]*`/g, "");
            for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                const target = m[1];
                if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
                const [file, anchor] = target.split("#");
                const path = file ? join(dirname(page), file) : page;
                ++checked;
                const where = `${relative(root, page)}:${i + 1}`;
                if (!existsSync(path)) {
                    console.error(`${where}: ${target}: no such file`);
                    ++broken;
                } else if (anchor && path.endsWith(".md") && !anchors(path).has(anchor)) {
                    console.error(`${where}: ${target}: no heading with that anchor in ${relative(root, path)}`);
                    ++broken;
                }
            }
        });
}
if (broken) {
    console.error(`${broken} of ${checked} relative links are broken`);
    process.exit(1);
}
console.log(`all ${checked} relative links resolve`);
