// Checks that every C++ block of a documentation page is, verbatim, one of the blocks marked
// "// [name]" ... "// [name]" in the compiled snippet files, so the page shows code CI compiled.
// Usage: node check-doc-snippets.mjs PAGE.md SNIPPETS.cpp [MORE.cpp ...]
// Comparison ignores trailing spaces and the block's common indentation, nothing else.
import { readFileSync } from "node:fs";

const [page, ...sources] = process.argv.slice(2);
if (!page || sources.length === 0) {
    console.error("usage: node check-doc-snippets.mjs PAGE.md SNIPPETS.cpp [MORE.cpp ...]");
    process.exit(2);
}

function normalize(lines) {
    const trimmed = lines.map((l) => l.replace(/\s+$/, ""));
    while (trimmed.length && trimmed[0] === "") trimmed.shift();
    while (trimmed.length && trimmed[trimmed.length - 1] === "") trimmed.pop();
    const indents = trimmed.filter((l) => l !== "").map((l) => l.match(/^ */)[0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    return trimmed.map((l) => l.slice(cut)).join("\n");
}

const snippets = new Map();
for (const file of sources) {
    const lines = readFileSync(file, "utf8").split("\n");
    const open = new Map();
    lines.forEach((line, i) => {
        const m = line.match(/^\s*\/\/ \[([\w-]+)\]\s*$/);
        if (!m) return;
        if (open.has(m[1])) {
            snippets.set(m[1], { file, text: normalize(lines.slice(open.get(m[1]) + 1, i)) });
            open.delete(m[1]);
        } else {
            open.set(m[1], i);
        }
    });
    for (const name of open.keys()) {
        console.error(`${file}: snippet [${name}] is not closed`);
        process.exit(1);
    }
}
const known = new Set([...snippets.values()].map((s) => s.text));

const lines = readFileSync(page, "utf8").split("\n");
let failures = 0;
let blocks = 0;
for (let i = 0; i < lines.length; ++i) {
    if (!/^```(cpp|c\+\+)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) ++end;
    ++blocks;
    const text = normalize(lines.slice(start, end));
    if (!known.has(text)) {
        ++failures;
        console.error(`${page}:${start}: this C++ block is not one of the compiled snippets of ${sources.join(", ")}`);
        console.error(text.split("\n").slice(0, 3).map((l) => "    " + l).join("\n") + "\n    ...");
    }
    i = end;
}
if (failures) {
    console.error(`${failures} of ${blocks} C++ blocks of ${page} differ from the compiled code`);
    process.exit(1);
}
console.log(`${page}: all ${blocks} C++ blocks are compiled snippets`);
