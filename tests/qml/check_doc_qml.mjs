// Checks that the QML and JavaScript a documentation page shows is code CI lints and runs: every
// line of every ```qml and ```js block must be a line of one of the given QML files (the ones
// qmllint_surrealqt lints with zero warnings and the qml_tool_* / tst_qml_* tests run), so a page
// cannot show a call, a property or an element that the module lost or never had.
// Usage: node check_doc_qml.mjs PAGE.md FILE.qml [MORE.qml ...]
// Lines compare trimmed, without a trailing `// comment`; blank and comment-only lines are
// skipped. A block with an ellipsis (…, ...) fails: it shows code that cannot run as shown.
import { readFileSync } from "node:fs";

const [page, ...sources] = process.argv.slice(2);
if (!page || sources.length === 0) {
    console.error("usage: node check_doc_qml.mjs PAGE.md FILE.qml [MORE.qml ...]");
    process.exit(2);
}

// The code of a line: trimmed, a trailing comment dropped (not inside a string: "//" after an
// odd number of quotes is text).
function code(line) {
    let quote = null;
    for (let i = 0; i < line.length; ++i) {
        const c = line[i];
        if (quote) {
            if (c === "\\") ++i;
            else if (c === quote) quote = null;
        } else if (c === '"' || c === "'" || c === "`") {
            quote = c;
        } else if (c === "/" && line[i + 1] === "/") {
            return line.slice(0, i).trim();
        }
    }
    return line.trim();
}

const known = new Set();
for (const file of sources)
    for (const line of readFileSync(file, "utf8").split("\n")) known.add(code(line));

const lines = readFileSync(page, "utf8").split("\n");
let failures = 0;
let blocks = 0;
for (let i = 0; i < lines.length; ++i) {
    if (!/^```(qml|js|javascript)\s*$/.test(lines[i])) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) ++end;
    ++blocks;
    for (let at = i + 1; at < end; ++at) {
        const c = code(lines[at]);
        if (c === "") continue;
        if (c.includes("…") || c.includes("...")) {
            ++failures;
            console.error(`${page}:${at + 1}: an ellipsis: show code that runs as shown`);
        } else if (!known.has(c)) {
            ++failures;
            console.error(`${page}:${at + 1}: not a line of the linted, tested QML files: ${c}`);
        }
    }
    i = end;
}
if (failures) {
    console.error(`${failures} line(s) of ${blocks} QML/JavaScript blocks are not in ${sources.length} files`);
    process.exit(1);
}
console.log(`${page}: ${blocks} QML/JavaScript blocks, every line linted and run by CI`);
