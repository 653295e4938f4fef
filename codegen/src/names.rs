//! Naming: every type, field and variant gets its Rust name here.
//!
//! Names come from the schema (`$defs` keys, titles, property paths,
//! discriminator values, `x-enum-names`, `x-variant-name`), never from
//! counters. Each thing has a list of candidate names, best first; where
//! candidates collide, every party to the collision moves to its next
//! candidate (so the outcome does not depend on which came first), and the
//! last resort is a spelling derived injectively from the JSON name or
//! pointer. Only when even that collides is it an error.

use std::collections::{BTreeMap, HashMap};

use crate::case;
use crate::error::{CodegenError, ErrorKind};
use crate::ir::{Ir, Kind, NameHint, TypeId};

/// Names every type, then every field and variant, in place.
pub(crate) fn assign(ir: &mut Ir) -> Result<(), CodegenError> {
    name_types(ir)?;
    for t in &mut ir.types {
        let (file, pointer) = (t.file.clone(), t.pointer.clone());
        match &mut t.kind {
            Kind::Struct(s) => {
                let raws: Vec<String> = s.fields.iter().map(|f| f.raw.clone()).collect();
                let mut names = field_names(&raws);
                let extra_name = {
                    let mut n = "additional_properties".to_string();
                    while names.contains(&n) {
                        n = format!("other_{n}");
                    }
                    n
                };
                for (f, n) in s.fields.iter_mut().zip(names.drain(..)) {
                    f.name = n;
                }
                s.extra_name = extra_name;
            }
            Kind::Tagged(d) => {
                let c: Vec<Vec<String>> = d.variants.iter().map(|v| v.candidates.clone()).collect();
                let names = resolve(&c, &file, &pointer)?;
                for (v, n) in d.variants.iter_mut().zip(names) {
                    v.name = n;
                }
            }
            Kind::Untagged(vs) => {
                let c: Vec<Vec<String>> = vs.iter().map(|v| v.candidates.clone()).collect();
                let names = resolve(&c, &file, &pointer)?;
                for (v, n) in vs.iter_mut().zip(names) {
                    v.name = n;
                }
            }
            Kind::Values(vs) => {
                let c: Vec<Vec<String>> = vs.iter().map(|v| v.candidates.clone()).collect();
                let names = resolve(&c, &file, &pointer)?;
                for (v, n) in vs.iter_mut().zip(names) {
                    v.name = n;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Resolves sibling candidates (variants of one enum) to distinct names.
fn resolve(cands: &[Vec<String>], file: &str, pointer: &str) -> Result<Vec<String>, CodegenError> {
    let mut idx = vec![0usize; cands.len()];
    let pick = |i: usize, idx: &[usize]| -> Option<String> {
        cands
            .get(i)
            .and_then(|c| c.get(idx.get(i).copied().unwrap_or(0)))
            .cloned()
    };
    loop {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for i in 0..cands.len() {
            let name = pick(i, &idx).unwrap_or_default();
            by_name.entry(name).or_default().push(i);
        }
        let clashes: Vec<Vec<usize>> = by_name.into_values().filter(|v| v.len() > 1).collect();
        if clashes.is_empty() {
            break;
        }
        let mut moved = false;
        for group in clashes {
            for i in group {
                let len = cands.get(i).map_or(0, Vec::len);
                if let Some(x) = idx.get_mut(i)
                    && *x + 1 < len
                {
                    *x += 1;
                    moved = true;
                }
            }
        }
        if !moved {
            return Err(CodegenError::new(
                ErrorKind::Naming,
                file,
                pointer,
                "two variants have the same name and no other readable name; add `x-enum-names` or `x-variant-name`",
            ));
        }
    }
    Ok((0..cands.len())
        .map(|i| pick(i, &idx).unwrap_or_default())
        .collect())
}

/// Field names for one struct's properties, in order.
pub(crate) fn field_names(raws: &[String]) -> Vec<String> {
    let base: Vec<String> = raws.iter().map(|r| case::snake(r)).collect();
    let mut out = base.clone();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for b in &base {
        *counts.entry(b.as_str()).or_default() += 1;
    }
    for (i, raw) in raws.iter().enumerate() {
        let Some(b) = base.get(i) else { continue };
        if counts.get(b.as_str()).copied().unwrap_or(0) > 1 {
            // The member already spelled in snake_case keeps the plain name;
            // the others say which spelling they are (`sending_mode_camel`).
            if raw != b
                && let Some(o) = out.get_mut(i)
            {
                *o = format!("{b}_{}", case::style_suffix(raw));
            }
        }
    }
    // Last resort for names that still meet: an injective spelling.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for n in &out {
        *seen.entry(n.clone()).or_default() += 1;
    }
    for (i, raw) in raws.iter().enumerate() {
        if let Some(o) = out.get_mut(i)
            && seen.get(o.as_str()).copied().unwrap_or(0) > 1
            && raw != o
        {
            *o = case::exact_snake(raw);
        }
    }
    out
}

fn candidates(ir: &Ir, id: TypeId, names: &HashMap<TypeId, String>) -> Vec<String> {
    let Some(t) = ir.types.get(id) else {
        return vec![];
    };
    let mut out = Vec::new();
    match &t.hint {
        NameHint::Fixed(n) => return vec![n.clone()],
        NameHint::Def { keys, file } => {
            let last = keys.last().map(|k| case::pascal(k)).unwrap_or_default();
            out.push(last);
            let all: String = keys.iter().map(|k| case::pascal(k)).collect();
            out.push(all.clone());
            out.push(format!("{}{all}", case::pascal(file)));
        }
        NameHint::Child {
            parent,
            suffix,
            title,
            alt,
        } => {
            let parent_name = names.get(parent).cloned().unwrap_or_default();
            if let Some(title) = title {
                let p = case::pascal(title);
                if case::words(title).len() <= 4 && p.len() <= 32 {
                    out.push(p);
                }
            }
            out.push(format!("{parent_name}{suffix}"));
            if let Some(alt) = alt {
                out.push(format!("{parent_name}{alt}"));
            }
        }
    }
    // Injective last resort: the file and pointer, spelled out.
    let ptr: String = t
        .pointer
        .split('/')
        .filter(|s| !s.is_empty() && *s != "properties" && *s != "$defs")
        .map(case::pascal)
        .collect();
    let file = case::pascal(t.file.trim_end_matches(".json"));
    out.push(format!("{file}{ptr}"));
    out.retain(|n| !n.is_empty());
    out.dedup();
    out
}

fn depth(ir: &Ir, id: TypeId) -> usize {
    let mut d = 0;
    let mut cur = id;
    while let Some(NameHint::Child { parent, .. }) = ir.types.get(cur).map(|t| &t.hint) {
        d += 1;
        cur = *parent;
        if d > ir.types.len() {
            break;
        }
    }
    d
}

fn name_types(ir: &mut Ir) -> Result<(), CodegenError> {
    let mut names: HashMap<TypeId, String> = HashMap::new();
    let mut taken: HashMap<(String, String), TypeId> = HashMap::new();
    let mut levels: BTreeMap<(usize, u8), Vec<TypeId>> = BTreeMap::new();
    for (id, t) in ir.types.iter().enumerate() {
        let prio = match t.hint {
            NameHint::Fixed(_) => 0,
            NameHint::Def { .. } => 1,
            NameHint::Child { .. } => 2,
        };
        levels.entry((depth(ir, id), prio)).or_default().push(id);
    }
    for (_, ids) in levels {
        let cands: Vec<Vec<String>> = ids.iter().map(|id| candidates(ir, *id, &names)).collect();
        let mut idx = vec![0usize; ids.len()];
        loop {
            let mut groups: HashMap<(String, String), Vec<usize>> = HashMap::new();
            for (i, id) in ids.iter().enumerate() {
                let module = ir
                    .types
                    .get(*id)
                    .map(|t| t.module.clone())
                    .unwrap_or_default();
                let name = cands
                    .get(i)
                    .and_then(|c| c.get(idx.get(i).copied().unwrap_or(0)))
                    .cloned()
                    .unwrap_or_default();
                groups.entry((module, name)).or_default().push(i);
            }
            let mut moved = false;
            let mut stuck = None;
            for (key, members) in &groups {
                let clash = members.len() > 1 || taken.contains_key(key);
                if !clash {
                    continue;
                }
                // Where names differ only in case (`Item`, `item`), the one
                // spelled exactly so keeps the name; the others move on.
                let exact: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let t = ids.get(i).and_then(|id| ir.types.get(*id));
                        match t.map(|t| &t.hint) {
                            Some(NameHint::Def { keys, .. }) => {
                                keys.last().map(String::as_str) == Some(key.1.as_str())
                            }
                            // The property whose Rust field kept the plain name.
                            Some(NameHint::Child {
                                suffix,
                                alt: Some(alt),
                                parent,
                                ..
                            }) => {
                                alt == suffix
                                    && names
                                        .get(parent)
                                        .is_some_and(|p| format!("{p}{suffix}") == key.1)
                            }
                            _ => false,
                        }
                    })
                    .collect();
                let keeper = if exact.len() == 1 && !taken.contains_key(key) {
                    exact.first().copied()
                } else {
                    None
                };
                for &i in members {
                    if Some(i) == keeper {
                        continue;
                    }
                    let len = cands.get(i).map_or(0, Vec::len);
                    let fixed = ids
                        .get(i)
                        .and_then(|id| ir.types.get(*id))
                        .is_some_and(|t| matches!(t.hint, NameHint::Fixed(_)));
                    if fixed && members.len() == 1 {
                        continue;
                    }
                    match idx.get_mut(i) {
                        Some(x) if *x + 1 < len => {
                            *x += 1;
                            moved = true;
                        }
                        _ => stuck = Some((i, key.1.clone())),
                    }
                }
            }
            if !moved {
                if let Some((i, name)) = stuck {
                    let t = ids.get(i).and_then(|id| ir.types.get(*id));
                    return Err(CodegenError::new(
                        ErrorKind::Naming,
                        t.map(|t| t.file.clone()).unwrap_or_default(),
                        t.map(|t| t.pointer.clone()).unwrap_or_default(),
                        format!(
                            "no free name for this type: `{name}` is taken; give it a `title` or move it to `$defs` under another key"
                        ),
                    ));
                }
                break;
            }
        }
        for (i, id) in ids.iter().enumerate() {
            let module = ir
                .types
                .get(*id)
                .map(|t| t.module.clone())
                .unwrap_or_default();
            let name = cands
                .get(i)
                .and_then(|c| c.get(idx.get(i).copied().unwrap_or(0)))
                .cloned()
                .unwrap_or_default();
            taken.insert((module, name.clone()), *id);
            names.insert(*id, name);
        }
    }
    for (id, t) in ir.types.iter_mut().enumerate() {
        if let Some(n) = names.remove(&id) {
            t.name = n;
        }
    }
    Ok(())
}
