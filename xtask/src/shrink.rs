//! Makes a release bundle smaller after trunk's wasm-bindgen and wasm-opt,
//! without changing what it does (bench/notes.md has the bytes):
//!
//! - wasm-streams' JS-facing classes (`IntoUnderlyingSource`, `…Sink`,
//!   `…ByteSource`) leave the wasm and its glue. Leptos always brings them
//!   with `server_fn`; the widget never makes a stream. binaryen's
//!   wasm-metadce drops their exports and what only they reach, wasm-opt
//!   tidies up after it.
//! - The wasm's imports get short names (`a`, `b`, … in the wasm and in the
//!   glue's import object): wasm-bindgen names each `__wbg_<name>_<16 hex>`,
//!   and the hex digits, written twice, do not compress.
//! - So do its exports (`wasm.a`, … in the glue): the closures' exports are
//!   named after their whole Rust types, crate hashes included
//!   (`wasm_bindgen_<hash>___convert__closures_____invoke___js_sys_<hash>…`).
//!   The glue's own exports (`start`, `mount_alone`) keep their names: they
//!   are JS functions that call the renamed wasm exports.
//! - The one module the imports come from (`./bantin_bg.js`, written before
//!   each import's name) is `a`, and the custom sections (`producers`,
//!   `target_features`, `__wasm_split_unstable`: for tools, not browsers)
//!   leave.
//!
//! Every step checks its result: the glue must end up naming exactly what the
//! wasm imports and only exports the wasm has, or the build fails.

use crate::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The exports of wasm-streams' classes: `intounderlying…` methods and their
/// `__wbg_intounderlying…_free`.
const STREAMS: &str = "intounderlying";

/// The options trunk gives wasm-opt for the widget (`data-wasm-opt-params`
/// in index.html): the features the bundles are built with.
pub fn wasm_opt_params(root: &Path) -> Result<Vec<String>> {
    let html =
        std::fs::read_to_string(root.join("index.html")).map_err(|e| format!("index.html: {e}"))?;
    let params = html
        .split_once("data-wasm-opt-params=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(params, _)| params.split_whitespace().map(str::to_owned).collect())
        .ok_or("index.html has no data-wasm-opt-params")?;
    Ok(params)
}

/// Shrinks the bundle `js` + `wasm` in `dir` in place.
pub fn bundle(root: &Path, dir: &Path, js: &str, wasm: &str) -> Result {
    let (js_path, wasm_path) = (dir.join(js), dir.join(wasm));
    let mut bytes = std::fs::read(&wasm_path).map_err(|e| format!("{wasm}: {e}"))?;
    let mut glue = std::fs::read_to_string(&js_path).map_err(|e| format!("{js}: {e}"))?;
    let module = Module::parse(&bytes).map_err(|e| format!("{wasm}: {e}"))?;
    if module.exports.iter().any(|e| e.contains(STREAMS)) {
        bytes = drop_streams(root, dir, &bytes, &module)?;
        glue = drop_stream_classes(&glue).map_err(|e| format!("{js}: {e}"))?;
    }
    let (bytes, glue) = short_import_names(&bytes, &glue).map_err(|e| format!("{js}: {e}"))?;
    let (bytes, glue) = short_export_names(&bytes, &glue).map_err(|e| format!("{js}: {e}"))?;
    let (bytes, glue) = short_module_name(&bytes, &glue).map_err(|e| format!("{js}: {e}"))?;
    let bytes = without_custom_sections(&bytes).map_err(|e| format!("{wasm}: {e}"))?;
    let module = Module::parse(&bytes).map_err(|e| format!("{wasm}: {e}"))?;
    check_exports(&glue, &module).map_err(|e| format!("{js}: {e}"))?;
    std::fs::write(&wasm_path, bytes).map_err(|e| format!("{wasm}: {e}"))?;
    std::fs::write(&js_path, glue).map_err(|e| format!("{js}: {e}"))
}

fn tool(root: &Path, name: &str) -> Result<std::path::PathBuf> {
    let path = root.join("node_modules/.bin").join(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: run `cargo xtask setup` (it installs the npm tools)",
            path.display()
        ))
    }
}

fn run(cmd: &mut Command, what: &str) -> Result {
    let out = cmd.output().map_err(|e| format!("starting {what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The wasm without wasm-streams' exports and what only they reach.
fn drop_streams(root: &Path, dir: &Path, bytes: &[u8], module: &Module) -> Result<Vec<u8>> {
    let params = wasm_opt_params(root)?;
    let mut graph = Vec::new();
    for (i, name) in module.exports.iter().enumerate() {
        if !name.contains(STREAMS) {
            graph.push(serde_json::json!({"name": format!("e{i}"), "root": true, "export": name}));
        }
    }
    for (i, (m, name)) in module.imports.iter().enumerate() {
        graph.push(serde_json::json!({"name": format!("i{i}"), "import": [m, name]}));
    }
    let tmp = dir.join(".shrink");
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let (input, graph_file, cut, out) = (
        tmp.join("in.wasm"),
        tmp.join("graph.json"),
        tmp.join("cut.wasm"),
        tmp.join("out.wasm"),
    );
    std::fs::write(&input, bytes).map_err(|e| e.to_string())?;
    std::fs::write(&graph_file, serde_json::Value::Array(graph).to_string())
        .map_err(|e| e.to_string())?;
    run(
        Command::new(tool(root, "wasm-metadce")?)
            .args(&params)
            .arg("--graph-file")
            .arg(&graph_file)
            .arg(&input)
            .arg("-o")
            .arg(&cut),
        "wasm-metadce",
    )?;
    run(
        Command::new(tool(root, "wasm-opt")?)
            .arg("-Oz")
            .args(&params)
            .arg(&cut)
            .arg("-o")
            .arg(&out),
        "wasm-opt",
    )?;
    let result = std::fs::read(&out).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// The glue without the classes of wasm-streams: each `export class X {…}`,
/// its `Symbol.dispose` line and its `XFinalization` registry.
fn drop_stream_classes(glue: &str) -> std::result::Result<String, String> {
    let classes: Vec<String> = glue
        .lines()
        .filter_map(|l| l.strip_prefix("export class IntoUnderlying"))
        .filter_map(|rest| rest.strip_suffix(" {"))
        .map(|rest| format!("IntoUnderlying{rest}"))
        .collect();
    if classes.is_empty() {
        return Err("the wasm has wasm-streams' exports but the glue none of its classes".into());
    }
    let mut out = String::with_capacity(glue.len());
    let mut skipping: Option<&str> = None;
    for line in glue.split_inclusive('\n') {
        if let Some(end) = skipping {
            if line.trim_end() == end || (end == ";" && line.trim_end().ends_with(';')) {
                skipping = None;
            }
            continue;
        }
        let class = classes.iter().find(|c| {
            line.starts_with(&format!("export class {c} {{"))
                || line.starts_with(&format!("if (Symbol.dispose) {c}.prototype"))
                || line.starts_with(&format!("const {c}Finalization = "))
        });
        match class {
            Some(_) if line.starts_with("export class ") => skipping = Some("}"),
            Some(_) if line.starts_with("const ") && !line.trim_end().ends_with(';') => {
                skipping = Some(";")
            }
            Some(_) => {}
            None => out.push_str(line),
        }
    }
    if let Some(c) = classes.iter().find(|c| out.contains(c.as_str())) {
        return Err(format!("{c} is still used by the glue"));
    }
    Ok(out)
}

/// `a`, `b`, …, `Z`, `ba`, …: the `n`th short name.
fn short_name(mut n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(ALPHABET[n % ALPHABET.len()]);
        n /= ALPHABET.len();
        if n == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The glue's import object: `const import0 = {` up to `    };`, an entry
/// per line `        name: …` (wasm-bindgen's layout).
const IMPORTS_START: &str = "const import0 = {\n";
const IMPORTS_END: &str = "\n    };\n";
const ENTRY_INDENT: &str = "        ";

/// Renames the wasm's imports to short names, and the glue's entries with
/// them; entries the wasm no longer imports leave the glue.
fn short_import_names(bytes: &[u8], glue: &str) -> std::result::Result<(Vec<u8>, String), String> {
    let module = Module::parse(bytes)?;
    let mut names = BTreeMap::new();
    for (m, name) in &module.imports {
        if !m.starts_with("./") {
            return Err(format!("import {m}.{name} is not the glue's"));
        }
        let next = short_name(names.len());
        names.entry(name.clone()).or_insert(next);
    }
    let start = glue
        .find(IMPORTS_START)
        .ok_or("no `const import0 = {` in the glue")?
        + IMPORTS_START.len();
    let end = start
        + glue[start..]
            .find(IMPORTS_END)
            .ok_or("the import object has no end")?;
    let mut object = String::new();
    let mut seen = BTreeSet::new();
    let mut keep = true;
    for line in glue[start..end].split_inclusive('\n') {
        let key = line
            .strip_prefix(ENTRY_INDENT)
            .and_then(|rest| rest.split_once(": "))
            .map(|(key, _)| key)
            .filter(|key| key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        match key {
            Some("__proto__") => object.push_str(line),
            Some(key) => {
                keep = names.contains_key(key);
                if keep {
                    seen.insert(key.to_owned());
                    let rest = &line[ENTRY_INDENT.len() + key.len()..];
                    object.push_str(&format!("{ENTRY_INDENT}{}{rest}", names[key]));
                }
            }
            None if keep => object.push_str(line),
            None => {}
        }
    }
    if let Some(missing) = names.keys().find(|n| !seen.contains(*n)) {
        return Err(format!(
            "the wasm imports {missing}, the glue has no such entry"
        ));
    }
    let glue = format!("{}{object}{}", &glue[..start], &glue[end..]);
    if let Some(old) = names.keys().find(|n| glue.contains(n.as_str())) {
        return Err(format!("{old} is still named in the glue after renaming"));
    }
    let bytes = module.with_imports(bytes, |m, name| (m.to_owned(), names[name].clone()))?;
    Ok((bytes, glue))
}

/// The offsets of each `wasm.<name>` of the glue (the name's start and end),
/// skipping `x.wasm.` and `xwasm.`.
fn export_uses(glue: &str) -> Vec<(usize, usize)> {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    glue.match_indices("wasm.")
        .filter(|(i, _)| {
            !glue[..*i]
                .chars()
                .next_back()
                .is_some_and(|c| ident(c) || c == '.')
        })
        .map(|(i, _)| {
            let start = i + "wasm.".len();
            let len = glue[start..]
                .find(|c| !ident(c))
                .unwrap_or(glue.len() - start);
            (start, start + len)
        })
        .filter(|(start, end)| end > start)
        .collect()
}

/// The wasm and its glue with every export renamed `a`, `b`, … (the glue's
/// `wasm.<name>` uses with it); a use of a name the wasm does not export
/// fails.
fn short_export_names(bytes: &[u8], glue: &str) -> std::result::Result<(Vec<u8>, String), String> {
    let module = Module::parse(bytes)?;
    let names: BTreeMap<&str, String> = module
        .exports
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), short_name(i)))
        .collect();
    let mut out = String::with_capacity(glue.len());
    let mut done = 0;
    for (start, end) in export_uses(glue) {
        let name = &glue[start..end];
        let new = names
            .get(name)
            .ok_or_else(|| format!("the glue calls wasm.{name}, which the wasm does not export"))?;
        out.push_str(&glue[done..start]);
        out.push_str(new);
        done = end;
    }
    out.push_str(&glue[done..]);
    let bytes = module.with_export_names(bytes, |name| names[name].clone())?;
    Ok((bytes, out))
}

/// What the imports' module is called instead of `./<name>_bg.js`.
const MODULE: &str = "a";

/// The wasm and its glue with the imports' one module named [`MODULE`]
/// (the key of the glue's import object).
fn short_module_name(bytes: &[u8], glue: &str) -> std::result::Result<(Vec<u8>, String), String> {
    let module = Module::parse(bytes)?;
    let mut modules: BTreeSet<&str> = module.imports.iter().map(|(m, _)| m.as_str()).collect();
    let Some(old) = modules.pop_first() else {
        return Ok((bytes.to_vec(), glue.to_owned()));
    };
    if !modules.is_empty() {
        return Err(format!("the wasm imports from {old} and {modules:?}"));
    }
    let key = format!("\"{old}\": import0");
    if glue.matches(&key).count() != 1 {
        return Err(format!("the glue's import object has no single {key}"));
    }
    let glue = glue.replace(&key, &format!("{MODULE}: import0"));
    let bytes = module.with_imports(bytes, |_, name| (MODULE.to_owned(), name.to_owned()))?;
    Ok((bytes, glue))
}

/// The wasm without its custom sections (id 0).
fn without_custom_sections(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut out = bytes[..8].to_vec();
    for s in sections(bytes)?.iter().filter(|s| s.id != 0) {
        out.extend_from_slice(&bytes[s.start..s.end]);
    }
    Ok(out)
}

/// One section of a module: its id, where it starts (the id byte), where
/// its contents start, and its end.
struct Section {
    id: u8,
    start: usize,
    contents: usize,
    end: usize,
}

/// The sections of a wasm module, in order.
fn sections(bytes: &[u8]) -> std::result::Result<Vec<Section>, String> {
    if bytes.get(..4) != Some(b"\0asm") || bytes.len() < 8 {
        return Err("not a wasm module".into());
    }
    let mut r = Reader { bytes, at: 8 };
    let mut out = Vec::new();
    while r.at < bytes.len() {
        let start = r.at;
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let end = r.at + size;
        if end > bytes.len() {
            return Err("a section runs past the end".into());
        }
        out.push(Section {
            id,
            start,
            contents: r.at,
            end,
        });
        r.at = end;
    }
    Ok(out)
}

/// Every `wasm.name` the glue uses must be an export of the wasm.
fn check_exports(glue: &str, module: &Module) -> std::result::Result<(), String> {
    let exports: BTreeSet<&str> = module.exports.iter().map(String::as_str).collect();
    for (start, end) in export_uses(glue) {
        let name = &glue[start..end];
        if !exports.contains(name) {
            return Err(format!(
                "the glue calls wasm.{name}, which the wasm does not export"
            ));
        }
    }
    Ok(())
}

/// The names a wasm module imports and exports, read from its binary form.
struct Module {
    /// `(module, name)` of each import, in order.
    imports: Vec<(String, String)>,
    exports: Vec<String>,
    /// The import section's byte range (id byte to end), when there is one.
    import_section: Option<(usize, usize)>,
    /// The export section's, likewise.
    export_section: Option<(usize, usize)>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> std::result::Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("the wasm ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> std::result::Result<u64, String> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(value);
            }
            shift += 7;
            if shift > 63 {
                return Err("a LEB128 number is too long".into());
            }
        }
    }

    fn name(&mut self) -> std::result::Result<String, String> {
        let len = self.leb()? as usize;
        let end = self.at + len;
        let text = self
            .bytes
            .get(self.at..end)
            .ok_or("the wasm ends in a name")?;
        self.at = end;
        String::from_utf8(text.to_vec()).map_err(|_| "a name is not UTF-8".into())
    }

    fn limits(&mut self) -> std::result::Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }

    /// Skips an import's description (function, table, memory, global, tag).
    fn import_desc(&mut self) -> std::result::Result<(), String> {
        match self.byte()? {
            0 => self.leb().map(drop),
            1 => {
                self.byte()?;
                self.limits()
            }
            2 => self.limits(),
            3 => {
                self.byte()?;
                self.byte().map(drop)
            }
            4 => {
                self.byte()?;
                self.leb().map(drop)
            }
            kind => Err(format!("unknown import kind {kind}")),
        }
    }
}

fn leb_bytes(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

fn name_bytes(name: &str) -> Vec<u8> {
    let mut out = leb_bytes(name.len() as u64);
    out.extend_from_slice(name.as_bytes());
    out
}

impl Module {
    fn parse(bytes: &[u8]) -> std::result::Result<Module, String> {
        let mut module = Module {
            imports: Vec::new(),
            exports: Vec::new(),
            import_section: None,
            export_section: None,
        };
        for Section {
            id,
            start,
            contents,
            end,
        } in sections(bytes)?
        {
            let mut r = Reader {
                bytes,
                at: contents,
            };
            match id {
                2 => {
                    for _ in 0..r.leb()? {
                        let m = r.name()?;
                        let name = r.name()?;
                        r.import_desc()?;
                        module.imports.push((m, name));
                    }
                    module.import_section = Some((start, end));
                }
                7 => {
                    for _ in 0..r.leb()? {
                        module.exports.push(r.name()?);
                        r.byte()?;
                        r.leb()?;
                    }
                    module.export_section = Some((start, end));
                }
                _ => {}
            }
        }
        Ok(module)
    }

    /// `bytes` (this module) with each import's `(module, name)` replaced
    /// by `rename`'s.
    fn with_imports(
        &self,
        bytes: &[u8],
        rename: impl Fn(&str, &str) -> (String, String),
    ) -> std::result::Result<Vec<u8>, String> {
        rewrite_section(bytes, self.import_section, 2, |r, body| {
            let m = r.name()?;
            let name = r.name()?;
            let desc = r.at;
            r.import_desc()?;
            let (m, name) = rename(&m, &name);
            body.extend(name_bytes(&m));
            body.extend(name_bytes(&name));
            body.extend_from_slice(&r.bytes[desc..r.at]);
            Ok(())
        })
    }

    /// `bytes` (this module) with each export's name replaced by `rename`.
    fn with_export_names(
        &self,
        bytes: &[u8],
        rename: impl Fn(&str) -> String,
    ) -> std::result::Result<Vec<u8>, String> {
        rewrite_section(bytes, self.export_section, 7, |r, body| {
            let name = r.name()?;
            let desc = r.at;
            r.byte()?;
            r.leb()?;
            body.extend(name_bytes(&rename(&name)));
            body.extend_from_slice(&r.bytes[desc..r.at]);
            Ok(())
        })
    }
}

/// `bytes` with the vector section `id` at `range` (none: unchanged) written
/// anew, `entry` reading each of its entries and writing it into the body.
fn rewrite_section(
    bytes: &[u8],
    range: Option<(usize, usize)>,
    id: u8,
    mut entry: impl FnMut(&mut Reader, &mut Vec<u8>) -> std::result::Result<(), String>,
) -> std::result::Result<Vec<u8>, String> {
    let Some((start, end)) = range else {
        return Ok(bytes.to_vec());
    };
    let mut r = Reader {
        bytes,
        at: start + 1,
    };
    r.leb()?;
    let count = r.leb()?;
    let mut body = leb_bytes(count);
    for _ in 0..count {
        entry(&mut r, &mut body)?;
    }
    let mut out = bytes[..start].to_vec();
    out.push(id);
    out.extend(leb_bytes(body.len() as u64));
    out.extend(body);
    out.extend_from_slice(&bytes[end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing `./x_bg.js` `__wbg_log_0123456789abcdef` and
    /// `__wbg_now_fedcba9876543210` (two functions of type 0), exporting
    /// `memory`.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        let mut imports = vec![2];
        for name in ["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"] {
            imports.extend(name_bytes("./x_bg.js"));
            imports.extend(name_bytes(name));
            imports.extend([0, 0]);
        }
        m.push(2);
        m.extend(leb_bytes(imports.len() as u64));
        m.extend(imports);
        m.extend([5, 3, 1, 0, 1]); // memory section: one memory, min 1
        let mut exports = vec![1];
        exports.extend(name_bytes("memory"));
        exports.extend([2, 0]);
        m.push(7);
        m.extend(leb_bytes(exports.len() as u64));
        m.extend(exports);
        m
    }

    const GLUE: &str = "export class IntoUnderlyingSink {\n    free() {\n        wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0);\n    }\n}\nif (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;\n\nfunction __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        __wbg_log_0123456789abcdef: function(arg0) {\n            console.log(arg0);\n        },\n        __wbg_gone_1111111111111111: function() {\n            return 1;\n        },\n        __wbg_now_fedcba9876543210: function() { return Date.now(); },\n    };\n    return { __proto__: null, \"./x_bg.js\": import0 };\n}\nconst IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n    ? { register: () => {}, unregister: () => {} }\n    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));\nconst memory = () => wasm.memory;\n";

    #[test]
    fn imports_are_renamed_in_the_wasm_and_the_glue_and_unused_entries_leave() {
        let glue = drop_stream_classes(GLUE).unwrap();
        assert!(!glue.contains("IntoUnderlying"), "{glue}");
        assert!(glue.contains("const memory = () => wasm.memory;"), "{glue}");
        let (bytes, glue) = short_import_names(&module(), &glue).unwrap();
        let renamed = Module::parse(&bytes).unwrap();
        assert_eq!(
            renamed.imports,
            [
                ("./x_bg.js".to_owned(), "a".to_owned()),
                ("./x_bg.js".to_owned(), "b".to_owned())
            ]
        );
        assert_eq!(renamed.exports, ["memory"]);
        assert!(
            glue.contains(
                "        a: function(arg0) {\n            console.log(arg0);\n        },\n"
            ),
            "{glue}"
        );
        assert!(
            glue.contains("        b: function() { return Date.now(); },\n    };"),
            "{glue}"
        );
        assert!(
            !glue.contains("gone") && !glue.contains("return 1;"),
            "{glue}"
        );
        check_exports(&glue, &renamed).unwrap();
    }

    #[test]
    fn a_glue_that_lacks_an_import_or_calls_a_missing_export_is_refused() {
        let glue = GLUE.replace("__wbg_now_fedcba9876543210", "__wbg_later_0000000000000000");
        let err = short_import_names(&module(), &glue).unwrap_err();
        assert!(err.contains("__wbg_now_fedcba9876543210"), "{err}");
        let module = Module::parse(&module()).unwrap();
        let err = check_exports("const x = wasm.start();", &module).unwrap_err();
        assert!(err.contains("wasm.start"), "{err}");
    }

    #[test]
    fn exports_are_renamed_in_the_wasm_and_the_glue() {
        let glue = "const memory = () => wasm.memory;\nlet x = wasm.memory.buffer; // wasm.memory\nconst wasmx = {}; wasmx.memory; a.wasm.memory;\n";
        let (bytes, glue) = short_export_names(&module(), glue).unwrap();
        let renamed = Module::parse(&bytes).unwrap();
        assert_eq!(renamed.exports, ["a"]);
        assert_eq!(renamed.imports, Module::parse(&module()).unwrap().imports);
        assert_eq!(
            glue,
            "const memory = () => wasm.a;\nlet x = wasm.a.buffer; // wasm.a\nconst wasmx = {}; wasmx.memory; a.wasm.memory;\n"
        );
        check_exports(&glue, &renamed).unwrap();
        let err = short_export_names(&module(), "wasm.start();").unwrap_err();
        assert!(err.contains("wasm.start"), "{err}");
    }

    #[test]
    fn the_imports_module_is_short_and_custom_sections_leave() {
        let glue = "    return { __proto__: null, \"./x_bg.js\": import0 };\n";
        let mut wasm = module();
        wasm.extend([0, 10]);
        wasm.extend(name_bytes("producers"));
        let (bytes, glue) = short_module_name(&wasm, glue).unwrap();
        assert_eq!(glue, "    return { __proto__: null, a: import0 };\n");
        let bytes = without_custom_sections(&bytes).unwrap();
        let renamed = Module::parse(&bytes).unwrap();
        let names: Vec<_> = renamed
            .imports
            .iter()
            .map(|(m, n)| (m.as_str(), n.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("a", "__wbg_log_0123456789abcdef"),
                ("a", "__wbg_now_fedcba9876543210")
            ]
        );
        assert_eq!(renamed.exports, ["memory"]);
        // Two imports, each 8 bytes shorter; the custom section gone.
        assert_eq!(bytes.len(), module().len() - 2 * ("./x_bg.js".len() - 1));
        let err = short_module_name(&module(), "return {};").unwrap_err();
        assert!(err.contains("./x_bg.js"), "{err}");
    }

    #[test]
    fn short_names_are_unique() {
        let names: BTreeSet<String> = (0..3000).map(short_name).collect();
        assert_eq!(names.len(), 3000);
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(52), "ba");
    }
}
