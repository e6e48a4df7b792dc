// Checks that the C++ code the documentation shows is code CI compiled.
//
// Usage: node check-doc-snippets.mjs REPOSITORY_ROOT [PAGE_OR_FOLDER ...]
//   PAGE_OR_FOLDER is relative to the root; a folder means every page under it. Without one:
//   README.md, docs/**/*.md and include/**/*.h.
//
// Convention (one for all pages):
// - A ```cpp (or ```c++) block of a Markdown page or a header comment, and a \code ... \endcode
//   (or @code ... @endcode) block of a header comment, must equal the body of one compiled
//   snippet: the lines between two "// [name]" marker lines of a snippet file, markers excluded.
//   The marker lines themselves are not shown on the page.
// - Snippet files are tests/**/doc_snippets*.cpp and tests/**/doc_snippets*.h, each part of a
//   compiled test target (and run by it where the snippet does something), and the sources of the
//   example programs, examples/**/*.cpp and *.h (built, and run by the example tests).
// - Comparison ignores trailing spaces, leading/trailing blank lines, the block's common
//   indentation and the indentation of preprocessor lines (a snippet inside a function may start
//   with the #include the page shows; the file includes it at the top, so it expands to nothing),
//   and a leading " * " comment prefix in headers; nothing else.
// - Code that is not meant to compile (a list of signatures, a fragment, a macro expansion) is
//   fenced ```text (or without a language), which this check skips.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const [root, ...wanted] = process.argv.slice(2);
if (!root) {
    console.error("usage: node check-doc-snippets.mjs REPOSITORY_ROOT [PAGE_OR_FOLDER ...]");
    process.exit(2);
}

function walk(dir, accept) {
    return readdirSync(dir)
        .sort()
        .flatMap((name) => {
            if (name === "node_modules" || name.startsWith(".")) return [];
            const path = join(dir, name);
            if (statSync(path).isDirectory()) return walk(path, accept);
            return accept(name) ? [path] : [];
        });
}

const isPage = (name) => name.endsWith(".md") || name.endsWith(".h");

function normalize(lines) {
    let trimmed = lines.map((l) => l.replace(/\s+$/, ""));
    while (trimmed.length && trimmed[0] === "") trimmed.shift();
    while (trimmed.length && trimmed[trimmed.length - 1] === "") trimmed.pop();
    // Preprocessor lines stay in column 0 inside a function (clang-format): they do not count.
    const isDirective = (l) => /^\s*#/.test(l);
    const indents = trimmed.filter((l) => l !== "" && !isDirective(l)).map((l) => l.match(/^ */)[0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    return trimmed.map((l) => (isDirective(l) ? l.trimStart() : l.slice(cut))).join("\n");
}

const markerRe = /^\s*\/\/ \[([\w-]+)\]\s*$/;
const snippetFiles = [
    ...walk(join(root, "tests"), (n) => /^doc_snippets.*\.(cpp|h)$/.test(n)),
    ...walk(join(root, "examples"), (n) => /\.(cpp|h)$/.test(n)),
];
const snippets = new Map(); // text -> "file [name]"
for (const file of snippetFiles) {
    const lines = readFileSync(file, "utf8").split("\n");
    const open = new Map();
    lines.forEach((line, i) => {
        const m = line.match(markerRe);
        if (!m) return;
        if (open.has(m[1])) {
            snippets.set(normalize(lines.slice(open.get(m[1]) + 1, i)), `${relative(root, file)} [${m[1]}]`);
            open.delete(m[1]);
        } else {
            open.set(m[1], i);
        }
    });
    for (const name of open.keys()) {
        console.error(`${relative(root, file)}: snippet [${name}] is not closed`);
        process.exit(1);
    }
}

// The checked blocks of a page: { line (1-based, first code line), lines }.
function blocksOf(path) {
    const lines = readFileSync(path, "utf8").split("\n");
    const blocks = [];
    // Markdown fences, in pages and in header comments (Doxygen reads Markdown too).
    {
        for (let i = 0; i < lines.length; ++i) {
            const fence = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/);
            if (!fence) continue;
            let end = i + 1;
            const close = new RegExp(`^\\s*${fence[2][0]}{${fence[2].length},}\\s*$`);
            while (end < lines.length && !close.test(lines[end])) ++end;
            if (/^(cpp|c\+\+)$/i.test(fence[3])) blocks.push({ line: i + 2, lines: lines.slice(i + 1, end) });
            i = end;
        }
    }
    if (path.endsWith(".h")) {
        for (let i = 0; i < lines.length; ++i) {
            if (!/^\s*(\*\s*)?[\\@]code\b/.test(lines[i])) continue;
            let end = i + 1;
            while (end < lines.length && !/[\\@]endcode\b/.test(lines[end])) ++end;
            let body = lines.slice(i + 1, end);
            if (body.filter((l) => l.trim() !== "").every((l) => /^\s*\*/.test(l)))
                body = body.map((l) => l.replace(/^\s*\* ?/, ""));
            blocks.push({ line: i + 2, lines: body });
            i = end;
        }
    }
    return blocks;
}

// The snippet sharing most lines with text, to point at the drift.
function nearest(text) {
    const a = text.split("\n");
    let best = null;
    let bestScore = 0;
    for (const [candidate, where] of snippets) {
        const b = new Set(candidate.split("\n").map((l) => l.trim()));
        const score = a.filter((l) => l.trim() !== "" && b.has(l.trim())).length;
        if (score > bestScore) {
            bestScore = score;
            best = { candidate, where };
        }
    }
    return bestScore * 3 >= a.length ? best : null;
}

function diff(pageText, snippetText) {
    const a = pageText.split("\n");
    const b = snippetText.split("\n");
    const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; --i)
        for (let j = b.length - 1; j >= 0; --j)
            lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        if (i < a.length && j < b.length && a[i] === b[j]) {
            ++i;
            ++j;
        } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out.push(`      + ${b[j++]}`);
        } else {
            out.push(`      - ${a[i++]}`);
        }
    }
    return out.join("\n");
}

const pages = (wanted.length ? wanted : ["README.md", "docs", "include"]).flatMap((p) => {
    const path = join(root, p);
    if (!existsSync(path)) {
        console.error(`${p}: no such page or folder`);
        process.exit(2);
    }
    return statSync(path).isDirectory() ? walk(path, isPage) : [path];
});

let failures = 0;
for (const page of pages) {
    const name = relative(root, page);
    const blocks = blocksOf(page);
    let bad = 0;
    for (const block of blocks) {
        const text = normalize(block.lines);
        if (snippets.has(text)) continue;
        ++bad;
        const first = text.split("\n")[0] ?? "";
        console.error(`${name}:${block.line}: this C++ block is not the body of a compiled snippet`);
        if (markerRe.test(first))
            console.error(`    (drop the "${first.trim()}" line: pages show a snippet's body without its markers)`);
        const near = nearest(text);
        if (near) console.error(`    nearest: ${near.where}; page (-) vs compiled (+):\n${diff(text, near.candidate)}`);
        else console.error(text.split("\n").slice(0, 3).map((l) => "    " + l).join("\n") + "\n    ...");
    }
    if (blocks.length === 0) {
        if (page.endsWith(".md")) console.log(`${name}: no C++ blocks`);
        continue;
    }
    if (bad) {
        failures += bad;
        console.error(`${name}: ${bad} of ${blocks.length} C++ blocks differ from the compiled code`);
    } else {
        console.log(`${name}: all ${blocks.length} C++ blocks are compiled snippets`);
    }
}
if (failures) {
    console.error(`snippet files read: ${snippetFiles.map((f) => relative(root, f)).join(", ")}`);
    process.exit(1);
}
