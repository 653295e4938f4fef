//! From the named IR to Rust tokens.
//!
//! Generated code uses fully qualified paths (`::std::string::String`,
//! `::serde::Serialize`) so it can be `include!`d anywhere, refers to the
//! hand-written runtime (bounded vectors, constrained strings, literals,
//! the endpoint trait) through the path in [`Options::runtime`], and carries
//! every `description` as a doc comment. Formatting is the caller's job
//! (`lib.rs` runs prettyplease).

#[path = "builder.rs"]
mod builder;

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::Options;
use crate::case::{field_ident, type_ident};
use crate::error::{CodegenError, ErrorKind};
use crate::ir::{
    Field, Ir, Kind, NumberSpec, Shape, StringSpec, StructDef, TaggedDef, TypeDef, TypeId,
};

pub(crate) struct Emitter<'a> {
    ir: &'a Ir,
    opts: &'a Options,
    rt: TokenStream,
    rt_str: String,
    /// Strongly connected component of each type over by-value edges.
    by_value_scc: Vec<usize>,
    /// Strongly connected component of each type over all edges.
    any_scc: Vec<usize>,
    scc_sizes_value: HashMap<usize, usize>,
    scc_sizes_any: HashMap<usize, usize>,
    self_loops_value: HashSet<TypeId>,
    self_loops_any: HashSet<TypeId>,
}

fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines: Vec<String> = text.lines().map(|l| format!(" {}", l.trim())).collect();
    quote! { #( #[doc = #lines] )* }
}

/// How a generated enum of values serializes, for its rustdoc: built in
/// code, each value as its first spelling in the schema's `enum`.
fn serialized_as(vs: &[crate::ir::ValueVariant]) -> String {
    let spelled = vs.iter().any(|v| v.spellings.len() > 1);
    match vs {
        [v] => {
            let shown: Vec<String> = v.spellings.iter().map(|s| format!("`{s}`")).collect();
            match shown.split_first() {
                Some((first, rest)) if !rest.is_empty() => format!(
                    "Serialized as {first}, the schema's canonical (first) spelling; {} {} also accepted, and a parsed request keeps the spelling it was given.",
                    rest.join(", "),
                    if rest.len() == 1 { "is" } else { "are" }
                ),
                _ => format!("Serialized as {}.", shown.join(", ")),
            }
        }
        _ if spelled => "Serialized as each value's canonical spelling, the first in the schema's `enum` (each variant names it); the other spellings are accepted, and a parsed request keeps the spelling it was given.".to_string(),
        _ => "Serialized as the spelling each variant names.".to_string(),
    }
}

fn join_docs(parts: &[Option<String>]) -> Option<String> {
    let v: Vec<&String> = parts.iter().flatten().collect();
    if v.is_empty() {
        None
    } else {
        Some(
            v.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
        )
    }
}

fn opt_usize(v: Option<usize>) -> TokenStream {
    match v {
        Some(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) if n.is_finite() => {
            let n = Literal::f64_suffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        _ => quote!(::std::option::Option::None),
    }
}

fn str_slice(v: &[String]) -> TokenStream {
    quote!(&[ #( #v ),* ])
}

/// Edges from a shape to types: (target, by value).
fn edges(shape: &Shape, by_value: bool, out: &mut Vec<(TypeId, bool)>) {
    match shape {
        Shape::Named(id) => out.push((*id, by_value)),
        Shape::Nullable(i) => edges(i, by_value, out),
        Shape::Array { items, .. } => edges(items, false, out),
        Shape::Map(i) => edges(i, false, out),
        _ => {}
    }
}

fn type_edges(t: &TypeDef) -> Vec<(TypeId, bool)> {
    let mut out = Vec::new();
    match &t.kind {
        Kind::Alias(s) => edges(s, true, &mut out),
        Kind::Struct(s) => {
            for f in &s.fields {
                edges(&f.shape, true, &mut out);
            }
            if let Some(e) = &s.extra {
                edges(e, false, &mut out);
            }
        }
        Kind::Tagged(d) => d
            .variants
            .iter()
            .for_each(|v| edges(&v.shape, true, &mut out)),
        Kind::Untagged(vs) => vs.iter().for_each(|v| edges(&v.shape, true, &mut out)),
        _ => {}
    }
    out
}

/// Tarjan's strongly connected components, iteratively (no recursion on input).
fn sccs(n: usize, adj: &[Vec<TypeId>]) -> Vec<usize> {
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut ncomp = 0usize;
    for root in 0..n {
        if index.get(root).copied() != Some(usize::MAX) {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((v, i)) = work.pop() {
            if i == 0 {
                if let Some(x) = index.get_mut(v) {
                    *x = next;
                }
                if let Some(x) = low.get_mut(v) {
                    *x = next;
                }
                next += 1;
                stack.push(v);
                if let Some(x) = on_stack.get_mut(v) {
                    *x = true;
                }
            }
            let succ = adj.get(v).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&w) = succ.get(i) {
                work.push((v, i + 1));
                if index.get(w).copied() == Some(usize::MAX) {
                    work.push((w, 0));
                } else if on_stack.get(w).copied().unwrap_or(false) {
                    let lw = index.get(w).copied().unwrap_or(0);
                    if let Some(x) = low.get_mut(v) {
                        *x = (*x).min(lw);
                    }
                }
                continue;
            }
            if low.get(v) == index.get(v) {
                while let Some(w) = stack.pop() {
                    if let Some(x) = on_stack.get_mut(w) {
                        *x = false;
                    }
                    if let Some(x) = comp.get_mut(w) {
                        *x = ncomp;
                    }
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                let lv = low.get(v).copied().unwrap_or(0);
                if let Some(x) = low.get_mut(parent) {
                    *x = (*x).min(lv);
                }
            }
        }
    }
    comp
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(ir: &'a Ir, opts: &'a Options) -> Result<Self, CodegenError> {
        let rt: TokenStream = opts.runtime.parse().map_err(|_| {
            CodegenError::new(
                ErrorKind::Unsupported,
                "",
                "",
                format!("runtime path {:?} is not a Rust path", opts.runtime),
            )
        })?;
        let n = ir.types.len();
        let mut adj_value = vec![Vec::new(); n];
        let mut adj_any = vec![Vec::new(); n];
        let mut self_loops_value = HashSet::new();
        let mut self_loops_any = HashSet::new();
        for (id, t) in ir.types.iter().enumerate() {
            for (to, by_value) in type_edges(t) {
                if to == id {
                    self_loops_any.insert(id);
                    if by_value {
                        self_loops_value.insert(id);
                    }
                }
                if by_value && let Some(a) = adj_value.get_mut(id) {
                    a.push(to);
                }
                if let Some(a) = adj_any.get_mut(id) {
                    a.push(to);
                }
            }
        }
        let by_value_scc = sccs(n, &adj_value);
        let any_scc = sccs(n, &adj_any);
        let count = |v: &[usize]| {
            let mut m: HashMap<usize, usize> = HashMap::new();
            for c in v {
                *m.entry(*c).or_default() += 1;
            }
            m
        };
        Ok(Self {
            ir,
            opts,
            rt_str: opts.runtime.clone(),
            rt,
            scc_sizes_value: count(&by_value_scc),
            scc_sizes_any: count(&any_scc),
            by_value_scc,
            any_scc,
            self_loops_value,
            self_loops_any,
        })
    }

    fn recursive_value(&self, from: TypeId, to: TypeId) -> bool {
        let (a, b) = (self.by_value_scc.get(from), self.by_value_scc.get(to));
        a.is_some()
            && a == b
            && (from != to || self.self_loops_value.contains(&from))
            && (self
                .scc_sizes_value
                .get(a.unwrap_or(&0))
                .copied()
                .unwrap_or(0)
                > 1
                || self.self_loops_value.contains(&from))
    }

    fn recursive_any(&self, from: TypeId, to: TypeId) -> bool {
        let (a, b) = (self.any_scc.get(from), self.any_scc.get(to));
        a.is_some()
            && a == b
            && (self
                .scc_sizes_any
                .get(a.unwrap_or(&0))
                .copied()
                .unwrap_or(0)
                > 1
                || self.self_loops_any.contains(&from))
    }

    fn needs_box(&self, owner: TypeId, shape: &Shape) -> bool {
        let mut e = Vec::new();
        edges(shape, true, &mut e);
        e.iter()
            .any(|(to, by_value)| *by_value && self.recursive_value(owner, *to))
    }

    fn cuts_recursion(&self, owner: TypeId, shape: &Shape) -> bool {
        let mut e = Vec::new();
        edges(shape, true, &mut e);
        e.iter().any(|(to, _)| self.recursive_any(owner, *to))
    }

    fn ty(&self, id: TypeId) -> Option<&TypeDef> {
        self.ir.types.get(id)
    }

    fn is_spelled(&self, id: TypeId) -> bool {
        matches!(self.ty(id).map(|t| &t.kind), Some(Kind::Values(vs)) if vs.iter().any(|v| v.spellings.len() > 1))
    }

    /// The path of a type, seen from module `from` (`None`: the top level).
    fn path(&self, id: TypeId, from: Option<&str>) -> TokenStream {
        let Some(t) = self.ty(id) else {
            return quote!(());
        };
        let name = type_ident(&t.name);
        let module = type_ident(&t.module);
        match from {
            Some(m) if m == t.module => quote!(#name),
            Some(_) => quote!(super::#module::#name),
            None => quote!(self::#module::#name),
        }
    }

    pub(crate) fn rust_type(&self, shape: &Shape, from: Option<&str>) -> TokenStream {
        let rt = &self.rt;
        match shape {
            Shape::Named(id) => {
                let p = self.path(*id, from);
                if self.is_spelled(*id) {
                    quote!(#rt::Spelled<#p>)
                } else {
                    p
                }
            }
            Shape::String => quote!(::std::string::String),
            Shape::Bool => quote!(bool),
            Shape::Integer => quote!(i64),
            Shape::Number => quote!(::serde_json::Number),
            Shape::Null => quote!(()),
            Shape::Any => quote!(::serde_json::Value),
            Shape::Object => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            Shape::Array {
                items, min, max, ..
            } => {
                let inner = self.rust_type(items, from);
                if *min == 0 && max.is_none() {
                    quote!(::std::vec::Vec<#inner>)
                } else {
                    let min = Literal::usize_unsuffixed(*min);
                    let max = match max {
                        Some(m) => {
                            let m = Literal::usize_unsuffixed(*m);
                            quote!(#m)
                        }
                        None => quote!({ ::core::primitive::usize::MAX }),
                    };
                    quote!(#rt::BoundedVec<#inner, #min, #max>)
                }
            }
            Shape::Map(inner) => {
                let inner = self.rust_type(inner, from);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            Shape::Nullable(inner) => {
                let inner = self.rust_type(inner, from);
                quote!(#rt::Nullable<#inner>)
            }
        }
    }

    fn field_type(&self, owner: TypeId, shape: &Shape, module: &str) -> TokenStream {
        let t = self.rust_type(shape, Some(module));
        if self.needs_box(owner, shape) {
            quote!(::std::boxed::Box<#t>)
        } else {
            t
        }
    }

    fn derives(&self) -> TokenStream {
        quote! {
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        }
    }

    /// `derive(JsonSchema)` behind the schemars feature, with the schema's
    /// own title and description (not the doc comment, which also names the
    /// schema file), the keywords no Rust type holds, and `extra` arguments.
    fn schemars_derive(&self, t: &TypeDef, extra: &[TokenStream]) -> TokenStream {
        let Some(f) = &self.opts.schemars_feature else {
            return TokenStream::new();
        };
        let title = t.title.clone().unwrap_or_default();
        let description = t.doc.clone().unwrap_or_default();
        let extend = residual_extend(t.residual.as_deref());
        let extend = (!extend.is_empty()).then_some(extend);
        let args = extra.iter().chain(extend.as_ref());
        quote! {
            #[cfg_attr(feature = #f, derive(::schemars::JsonSchema), schemars(title = #title, description = #description #(, #args)*))]
        }
    }

    /// The `extend(...)` for a field whose type is an alias with keywords no
    /// Rust type holds (`not: {contains: …}` on an array).
    fn field_residual(&self, shape: &Shape) -> Option<TokenStream> {
        let Shape::Named(id) = shape else {
            return None;
        };
        let t = self.ty(*id)?;
        if !matches!(t.kind, Kind::Alias(_)) {
            return None;
        }
        let e = residual_extend(t.residual.as_deref());
        (!e.is_empty()).then_some(e)
    }

    /// Every module, then the endpoint glue.
    pub(crate) fn emit(&self) -> Result<TokenStream, CodegenError> {
        let mut out = TokenStream::new();
        let _ = &self.rt_str;
        for (module, provider) in &self.ir.modules {
            let mut items = TokenStream::new();
            let mut specs = TokenStream::new();
            for (id, t) in self.ir.types.iter().enumerate() {
                if t.module != *module {
                    continue;
                }
                let (item, spec) = self.emit_type(id, t)?;
                items.extend(item);
                specs.extend(spec);
            }
            let m = type_ident(module);
            let endpoints: Vec<String> = self
                .ir
                .endpoints
                .iter()
                .filter(|e| e.module == *module)
                .map(|e| {
                    let root = self.ty(e.root).map(|t| t.name.clone()).unwrap_or_default();
                    let title = self
                        .ty(e.root)
                        .and_then(|t| t.title.clone())
                        .unwrap_or_default();
                    format!(" - `{}`: [`{root}`] — {title}", e.id)
                })
                .collect();
            let mut doc_lines = vec![if module == "common" {
                " Shared pieces referenced by several providers' schemas (`schemas/common/`)."
                    .to_string()
            } else {
                format!(
                    " Request types of the `{provider}` endpoints, generated from `schemas/{provider}/`."
                )
            }];
            if !endpoints.is_empty() {
                doc_lines.push(String::new());
                doc_lines.extend(endpoints);
            }
            // An index of the titled definitions (the doc's sections: one
            // per channel, message form, header and button kind), in schema
            // order, so the module page reads as the provider's doc does.
            let index: Vec<String> = self
                .ir
                .types
                .iter()
                .filter(|t| {
                    t.module == *module && matches!(t.hint, crate::ir::NameHint::Def { .. })
                })
                .filter(|t| {
                    matches!(
                        t.kind,
                        Kind::Struct(_) | Kind::Tagged(_) | Kind::Untagged(_)
                    )
                })
                .filter_map(|t| {
                    let title = t.title.as_deref()?;
                    Some(format!(" - [`{}`] — {title}", t.name))
                })
                .collect();
            if !index.is_empty() {
                doc_lines.push(String::new());
                doc_lines.push(" # Contents".to_string());
                doc_lines.push(String::new());
                doc_lines.extend(index);
            }
            let mut hand_written = Vec::new();
            for (_, path) in self.opts.module_items.iter().filter(|(n, _)| n == module) {
                let path: syn::Path = syn::parse_str(path).map_err(|e| {
                    CodegenError::new(
                        ErrorKind::Unsupported,
                        "",
                        "",
                        format!("module_items: `{path}` is not a path: {e}"),
                    )
                })?;
                hand_written.push(quote!(pub use #path::*;));
            }
            out.extend(quote! {
                #( #[doc = #doc_lines] )*
                #[allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_markdown, rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
                pub mod #m {
                    #(#hand_written)*
                    #items
                    /// Constraint specifications behind the constrained types of this module.
                    #[doc(hidden)]
                    #[allow(missing_docs, missing_debug_implementations)]
                    pub mod specs {
                        #specs
                    }
                }
            });
        }
        out.extend(self.emit_glue());
        Ok(out)
    }

    fn emit_type(
        &self,
        id: TypeId,
        t: &TypeDef,
    ) -> Result<(TokenStream, TokenStream), CodegenError> {
        let name = type_ident(&t.name);
        let rt = &self.rt;
        let module = t.module.as_str();
        let origin = format!(" Schema: `{}#{}`.", t.file, t.pointer);
        match &t.kind {
            Kind::Placeholder => Err(CodegenError::new(
                ErrorKind::Unsupported,
                &t.file,
                &t.pointer,
                "type was never defined (circular reference)",
            )),
            Kind::Alias(shape) => {
                let doc = doc_attrs(t.doc.as_deref());
                let ty = self.rust_type(shape, Some(module));
                let arb = self.arbitrary_alias(id, t, shape);
                Ok((
                    quote! { #doc #[doc = ""] #[doc = #origin] pub type #name = #ty; #arb },
                    TokenStream::new(),
                ))
            }
            Kind::Struct(s) => Ok((self.emit_struct(id, t, s), TokenStream::new())),
            Kind::Tagged(d) => Ok((self.emit_tagged(id, t, d), TokenStream::new())),
            Kind::Untagged(vs) => {
                let doc = doc_attrs(t.doc.as_deref());
                let derives = self.derives();
                let schemars = self.schemars_derive(t, &[]);
                let variants = vs.iter().map(|v| {
                    let vn = type_ident(&v.name);
                    let ty = self.field_type(id, &v.shape, module);
                    let d = doc_attrs(Some(
                        v.doc.as_deref().unwrap_or("One of the accepted forms."),
                    ));
                    quote!(#d #vn(#ty))
                });
                let arb =
                    self.arbitrary_union(id, t, vs.iter().map(|v| (&v.name, &v.shape)).collect());
                let inputs = self.emit_variant_inputs(
                    id,
                    t,
                    &vs.iter().map(|v| (&v.name, &v.shape)).collect::<Vec<_>>(),
                );
                Ok((
                    quote! {
                        #doc #[doc = ""] #[doc = #origin]
                        #derives
                        #schemars
                        #[derive(::serde::Serialize, ::serde::Deserialize)]
                        #[serde(untagged)]
                        pub enum #name { #(#variants,)* }
                        #arb
                        #inputs
                    },
                    TokenStream::new(),
                ))
            }
            Kind::Values(vs) => {
                let doc =
                    doc_attrs(join_docs(&[t.doc.clone(), Some(serialized_as(vs))]).as_deref());
                // The serde impls are hand-written (every spelling is
                // accepted), so the schema is too: `const` or `enum` of the
                // spellings, from the same table.
                let with = format!(
                    "{}::literal_schema::<{}>",
                    self.opts.runtime.replace(' ', ""),
                    t.name
                );
                let mut schemars_args = vec![quote!(schema_with = #with)];
                if vs.len() == 1 {
                    schemars_args.push(quote!(inline));
                }
                let schemars = self.schemars_derive(t, &schemars_args);
                let mut variants = Vec::new();
                let mut table = Vec::new();
                let single = vs.len() == 1;
                for v in vs {
                    let vn = type_ident(&v.name);
                    let shown: Vec<String> = v.spellings.iter().map(|s| format!("`{s}`")).collect();
                    let d = match shown.split_first() {
                        Some((first, rest)) if !rest.is_empty() => {
                            format!(
                                " Serialized as {first}; also accepted: {}.",
                                rest.join(", ")
                            )
                        }
                        _ => format!(" {}", shown.join(", ")),
                    };
                    let default = if single {
                        quote!(#[default])
                    } else {
                        TokenStream::new()
                    };
                    variants.push(quote!(#[doc = #d] #default #vn));
                    for s in &v.spellings {
                        let lit = self.lit(s);
                        table.push(quote!((#lit, Self::#vn)));
                    }
                }
                let tname = t.name.clone();
                let derive_default = if single {
                    quote!(#[derive(::std::default::Default)])
                } else {
                    TokenStream::new()
                };
                let arb = match &self.opts.proptest_feature {
                    Some(f) => {
                        let vns: Vec<_> = vs.iter().map(|v| type_ident(&v.name)).collect();
                        quote! {
                            #[cfg(feature = #f)]
                            impl ::proptest::arbitrary::Arbitrary for #name {
                                type Parameters = ();
                                type Strategy = ::proptest::strategy::BoxedStrategy<Self>;
                                fn arbitrary_with(_: Self::Parameters) -> Self::Strategy {
                                    use ::proptest::strategy::Strategy as _;
                                    ::proptest::sample::select(::std::vec![#(Self::#vns),*]).boxed()
                                }
                            }
                        }
                    }
                    None => TokenStream::new(),
                };
                Ok((
                    quote! {
                        #doc #[doc = ""] #[doc = #origin]
                        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
                        #derive_default
                        #schemars
                        pub enum #name { #(#variants,)* }
                        impl #rt::Literal for #name {
                            const NAME: &'static str = #tname;
                            const TABLE: &'static [(#rt::Lit, Self)] = &[#(#table),*];
                        }
                        impl ::serde::Serialize for #name {
                            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                                #rt::serialize_literal(self, serializer)
                            }
                        }
                        impl<'de> ::serde::Deserialize<'de> for #name {
                            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                                #rt::deserialize_literal(deserializer)
                            }
                        }
                        #arb
                    },
                    TokenStream::new(),
                ))
            }
            Kind::String(spec) => {
                let summary = string_summary(spec);
                let doc = doc_attrs(join_docs(&[t.doc.clone(), Some(summary)]).as_deref());
                let spec_tokens = self.string_spec(&t.name, spec);
                Ok((
                    quote! { #doc #[doc = ""] #[doc = #origin] pub type #name = #rt::ConstrainedString<self::specs::#name>; },
                    spec_tokens,
                ))
            }
            Kind::Integer(spec) | Kind::Number(spec) => {
                let summary = number_summary(spec);
                let doc = doc_attrs(join_docs(&[t.doc.clone(), Some(summary)]).as_deref());
                let wrapper = if matches!(t.kind, Kind::Integer(_)) {
                    quote!(BoundedInteger)
                } else {
                    quote!(BoundedNumber)
                };
                let spec_tokens = self.number_spec(&t.name, spec);
                Ok((
                    quote! { #doc #[doc = ""] #[doc = #origin] pub type #name = #rt::#wrapper<self::specs::#name>; },
                    spec_tokens,
                ))
            }
            Kind::IntegerOrString(n, s) | Kind::NumberOrString(n, s) => {
                let summary = format!("{} {}", number_summary(n), string_summary(s));
                let doc = doc_attrs(join_docs(&[t.doc.clone(), Some(summary)]).as_deref());
                let wrapper = if matches!(t.kind, Kind::IntegerOrString(..)) {
                    quote!(IntegerOrString)
                } else {
                    quote!(NumberOrString)
                };
                let mut spec_tokens = self.string_spec(&t.name, s);
                spec_tokens.extend(self.number_spec_impl(&t.name, n));
                Ok((
                    quote! { #doc #[doc = ""] #[doc = #origin] pub type #name = #rt::#wrapper<self::specs::#name>; },
                    spec_tokens,
                ))
            }
        }
    }

    fn lit(&self, v: &serde_json::Value) -> TokenStream {
        let rt = &self.rt;
        match v {
            serde_json::Value::String(s) => quote!(#rt::Lit::Str(#s)),
            serde_json::Value::Bool(b) => quote!(#rt::Lit::Bool(#b)),
            serde_json::Value::Number(n) if n.is_i64() => {
                let i = Literal::i64_unsuffixed(n.as_i64().unwrap_or(0));
                quote!(#rt::Lit::Int(#i))
            }
            serde_json::Value::Null => quote!(#rt::Lit::Null),
            other => {
                let text = other.to_string();
                quote!(#rt::Lit::Json(#text))
            }
        }
    }

    fn string_spec(&self, name: &str, s: &StringSpec) -> TokenStream {
        let rt = &self.rt;
        let ident = type_ident(name);
        let min = Literal::usize_unsuffixed(s.min_length);
        let max = opt_usize(s.max_length);
        let patterns = str_slice(&s.patterns);
        let format = match &s.format {
            Some(f) => quote!(::std::option::Option::Some(#f)),
            None => quote!(::std::option::Option::None),
        };
        let amin = opt_usize(s.advisory_min_length);
        let amax = opt_usize(s.advisory_max_length);
        let apat = str_slice(&s.advisory_patterns);
        // Left at the trait's defaults unless set, to keep the code small.
        let phone = s
            .phone
            .as_ref()
            .map(|p| quote!(const PHONE: ::std::option::Option<&'static str> = ::std::option::Option::Some(#p);));
        let secret = s.secret.then(|| {
            quote!(
                const SECRET: bool = true;
            )
        });
        quote! {
            pub enum #ident {}
            impl #rt::StringSpec for #ident {
                const NAME: &'static str = #name;
                const MIN_LENGTH: usize = #min;
                const MAX_LENGTH: ::std::option::Option<usize> = #max;
                const PATTERNS: &'static [&'static str] = #patterns;
                const FORMAT: ::std::option::Option<&'static str> = #format;
                const ADVISORY_MIN_LENGTH: ::std::option::Option<usize> = #amin;
                const ADVISORY_MAX_LENGTH: ::std::option::Option<usize> = #amax;
                const ADVISORY_PATTERNS: &'static [&'static str] = #apat;
                #phone
                #secret
            }
        }
    }

    fn number_spec(&self, name: &str, n: &NumberSpec) -> TokenStream {
        let ident = type_ident(name);
        let imp = self.number_spec_impl(name, n);
        quote! { pub enum #ident {} #imp }
    }

    fn number_spec_impl(&self, name: &str, n: &NumberSpec) -> TokenStream {
        let rt = &self.rt;
        let ident = type_ident(name);
        let (a, b, c, d, e) = (
            opt_f64(n.minimum),
            opt_f64(n.maximum),
            opt_f64(n.exclusive_minimum),
            opt_f64(n.exclusive_maximum),
            opt_f64(n.multiple_of),
        );
        let (am, ax) = (opt_f64(n.advisory_minimum), opt_f64(n.advisory_maximum));
        quote! {
            impl #rt::NumberSpec for #ident {
                const NAME: &'static str = #name;
                const MINIMUM: ::std::option::Option<f64> = #a;
                const MAXIMUM: ::std::option::Option<f64> = #b;
                const EXCLUSIVE_MINIMUM: ::std::option::Option<f64> = #c;
                const EXCLUSIVE_MAXIMUM: ::std::option::Option<f64> = #d;
                const MULTIPLE_OF: ::std::option::Option<f64> = #e;
                const ADVISORY_MINIMUM: ::std::option::Option<f64> = #am;
                const ADVISORY_MAXIMUM: ::std::option::Option<f64> = #ax;
            }
        }
    }

    fn field_doc(&self, f: &Field) -> String {
        match &f.doc {
            Some(d) => d.clone(),
            None => format!("The `{}` property.", f.raw),
        }
    }

    fn emit_struct(&self, id: TypeId, t: &TypeDef, s: &StructDef) -> TokenStream {
        let rt = &self.rt;
        let rt_str = self.opts.runtime.replace(' ', "");
        let name = type_ident(&t.name);
        let module = t.module.as_str();
        let origin = format!(" Schema: `{}#{}`.", t.file, t.pointer);
        let doc = doc_attrs(t.doc.as_deref());
        let derives = self.derives();
        let deny = if s.deny_unknown {
            quote!(#[serde(deny_unknown_fields)])
        } else {
            TokenStream::new()
        };
        let deser_some = format!("{rt_str}::deserialize_some");
        let mut fields = Vec::new();
        let mut params = Vec::new();
        let mut inits = Vec::new();
        let mut withs = Vec::new();
        for f in &s.fields {
            let ident = field_ident(&f.name);
            let ty = self.field_type(id, &f.shape, module);
            let d = doc_attrs(Some(&self.field_doc(f)));
            let ident_text = ident.to_string();
            let rename = if f.raw != ident_text.trim_start_matches("r#") {
                let raw = &f.raw;
                quote!(#[serde(rename = #raw)])
            } else {
                TokenStream::new()
            };
            // An optional field is absent or a value, never `null`: its
            // schema is the value's, not `Option`'s (which admits `null`).
            let mut field_schemars: Vec<TokenStream> = Vec::new();
            if !f.required {
                // Token text without spaces: `::std::string::String`.
                let with = ty.to_string().replace(' ', "");
                field_schemars.push(quote!(with = #with));
            }
            if let Some(e) = self.field_residual(&f.shape) {
                field_schemars.push(e);
            }
            let rename = match (&self.opts.schemars_feature, field_schemars.is_empty()) {
                (Some(feature), false) => {
                    quote!(#rename #[cfg_attr(feature = #feature, schemars(#(#field_schemars),*))])
                }
                _ => rename,
            };
            if f.required {
                fields.push(quote!(#d #rename pub #ident: #ty));
                if f.literal {
                    inits.push(quote!(#ident: ::std::default::Default::default()));
                } else if f.shape == Shape::String {
                    params.push(quote!(#ident: impl ::std::convert::Into<::std::string::String>));
                    inits.push(quote!(#ident: #ident.into()));
                } else {
                    params.push(quote!(#ident: #ty));
                    inits.push(quote!(#ident));
                }
            } else {
                fields.push(quote! {
                    #d #rename
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none", deserialize_with = #deser_some)]
                    pub #ident: ::std::option::Option<#ty>
                });
                inits.push(quote!(#ident: ::std::option::Option::None));
                let with = format_ident!("with_{}", f.name);
                let wd = format!(
                    " Sets `{}`: {}",
                    f.raw,
                    self.field_doc(f).lines().next().unwrap_or("")
                );
                let (pty, conv) = if f.shape == Shape::String {
                    (
                        quote!(impl ::std::convert::Into<::std::string::String>),
                        quote!(#ident.into()),
                    )
                } else {
                    (ty.clone(), quote!(#ident))
                };
                withs.push(quote! {
                    #[doc = #wd]
                    #[must_use]
                    pub fn #with(mut self, #ident: #pty) -> Self {
                        self.#ident = ::std::option::Option::Some(#conv);
                        self
                    }
                });
            }
        }
        if let Some(extra) = &s.extra {
            let ident = field_ident(&s.extra_name);
            let ty = match extra {
                Shape::Any => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
                other => {
                    let inner = self.rust_type(other, Some(module));
                    quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
                }
            };
            fields.push(quote! {
                /// Properties the schema does not list, kept so they survive a round trip.
                #[serde(flatten)]
                pub #ident: #ty
            });
            inits.push(quote!(#ident: ::std::default::Default::default()));
        }
        let new_doc = format!(
            " Builds a `{}` from its required fields; optional fields start absent.",
            t.name
        );
        let arb = self.arbitrary_struct(id, t, s);
        let min_properties = if s.min_properties > 0 {
            let n = Literal::usize_unsuffixed(s.min_properties);
            vec![quote!(extend("minProperties" = #n))]
        } else {
            Vec::new()
        };
        let schemars = self.schemars_derive(t, &min_properties);
        let builder = self.emit_builder(id, t, s);
        let name_str = t.name.as_str();
        quote! {
            #doc #[doc = ""] #[doc = #origin]
            #derives
            #schemars
            #[derive(::serde::Serialize, ::serde::Deserialize)]
            #[serde(remote = "Self")]
            #deny
            pub struct #name { #(#fields,)* }
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    #name::serialize(self, serializer)
                }
            }
            impl<'de> #rt::ObjectOnly<'de> for #name {
                const NAME: &'static str = #name_str;
                fn from_map<A: ::serde::de::MapAccess<'de>>(map: A) -> ::std::result::Result<Self, A::Error> {
                    #name::deserialize(::serde::de::value::MapAccessDeserializer::new(map))
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #rt::deserialize_object(deserializer)
                }
            }
            impl #name {
                #[doc = #new_doc]
                #[allow(clippy::too_many_arguments, clippy::new_without_default)]
                #[must_use]
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits,)* }
                }
                #(#withs)*
            }
            #arb
            #builder
        }
    }

    fn emit_tagged(&self, id: TypeId, t: &TypeDef, d: &TaggedDef) -> TokenStream {
        let rt = &self.rt;
        let name = type_ident(&t.name);
        let module = t.module.as_str();
        let origin = format!(" Schema: `{}#{}`.", t.file, t.pointer);
        let doc = doc_attrs(t.doc.as_deref());
        let derives = self.derives();
        let tag = &d.tag;
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        let mut expected: Vec<String> = Vec::new();
        for v in &d.variants {
            let vn = type_ident(&v.name);
            let ty = self.field_type(id, &v.shape, module);
            let shown: Vec<String> = v.tags.iter().map(|s| format!("`{s}`")).collect();
            let vd = format!(" `{tag}`: {}", shown.join(", "));
            let vdoc = match &v.shape {
                Shape::Named(tid) => self.ty(*tid).and_then(|x| x.title.clone()),
                _ => None,
            };
            let vdoc = doc_attrs(vdoc.as_deref());
            variants.push(quote!(#vdoc #[doc = ""] #[doc = #vd] #vn(#ty)));
            let lits: Vec<TokenStream> = v.tags.iter().map(|x| self.lit(x)).collect();
            expected.extend(v.tags.iter().map(|x| match x {
                serde_json::Value::String(s) => s.clone(),
                o => o.to_string(),
            }));
            arms.push(quote! {
                if #rt::Lit::any_matches(&[#(#lits),*], tag) {
                    ::serde_json::from_value(value).map(Self::#vn).map_err(::serde::de::Error::custom)
                }
            });
        }
        let arb = self.arbitrary_union(
            id,
            t,
            d.variants.iter().map(|v| (&v.name, &v.shape)).collect(),
        );
        // Serialized untagged, so the schema is `anyOf` the variants' structs,
        // each of which holds its discriminator value.
        let schemars = self.schemars_derive(t, &[]);
        let inputs = self.emit_variant_inputs(
            id,
            t,
            &d.variants
                .iter()
                .map(|v| (&v.name, &v.shape))
                .collect::<Vec<_>>(),
        );
        quote! {
            #doc #[doc = ""] #[doc = #origin]
            #derives
            #schemars
            #[derive(::serde::Serialize)]
            #[serde(untagged)]
            pub enum #name { #(#variants,)* }
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    let tag = #rt::tag_of(&value, #tag, &[#(#expected),*]).map_err(::serde::de::Error::custom)?;
                    #(#arms)else* else {
                        ::std::result::Result::Err(::serde::de::Error::custom(#rt::unknown_tag(#tag, tag, &[#(#expected),*])))
                    }
                }
            }
            #arb
            #inputs
        }
    }

    fn strategy(&self, owner: TypeId, shape: &Shape, module: &str) -> TokenStream {
        let rt = &self.rt;
        let ty = self.rust_type(shape, Some(module));
        let base = match shape {
            Shape::Named(id) => match self.ty(*id).map(|t| &t.kind) {
                Some(Kind::Alias(_)) => {
                    let f = self.arbitrary_fn_path(*id, Some(module));
                    quote!(#f())
                }
                _ => quote!(::proptest::arbitrary::any::<#ty>().boxed()),
            },
            Shape::String => quote!(#rt::strategies::text(0, 40)),
            Shape::Bool => quote!(::proptest::arbitrary::any::<bool>().boxed()),
            Shape::Integer => quote!((0i64..10_000).boxed()),
            Shape::Number => quote!(#rt::strategies::number()),
            Shape::Null => quote!(::proptest::strategy::Just(()).boxed()),
            Shape::Any => quote!(#rt::strategies::any_json()),
            Shape::Object => quote!(::proptest::strategy::Just(::serde_json::Map::new()).boxed()),
            Shape::Array {
                items,
                min,
                max,
                advisory,
            } => {
                let inner = if self.cuts_recursion(owner, items) && *min == 0 {
                    return quote!(
                        ::proptest::strategy::Just(::std::default::Default::default()).boxed()
                    );
                } else {
                    self.strategy(owner, items, module)
                };
                let lo = Literal::usize_unsuffixed(advisory.0.map_or(*min, |a| a.max(*min)));
                let cap = max.map_or(usize::MAX, |m| m.min(advisory.1.unwrap_or(m)));
                let hi = Literal::usize_unsuffixed(
                    cap.min(advisory.1.unwrap_or(cap))
                        .min(advisory.0.unwrap_or(*min).max(*min) + 3),
                );
                if *min == 0 && max.is_none() {
                    quote!(::proptest::collection::vec(#inner, #lo..=#hi).boxed())
                } else {
                    quote!(::proptest::collection::vec(#inner, #lo..=#hi).prop_filter_map("bounds", |v| ::std::convert::TryFrom::try_from(v).ok()).boxed())
                }
            }
            Shape::Map(_) => {
                quote!(::proptest::strategy::Just(::std::collections::BTreeMap::new()).boxed())
            }
            Shape::Nullable(inner) => {
                let s = self.strategy(owner, inner, module);
                quote!(::proptest::prop_oneof![::proptest::strategy::Just(#rt::Nullable::Null), #s.prop_map(#rt::Nullable::Value)].boxed())
            }
        };
        if self.needs_box(owner, shape) {
            quote!(#base.prop_map(::std::boxed::Box::new).boxed())
        } else {
            base
        }
    }

    fn arbitrary_fn_path(&self, id: TypeId, from: Option<&str>) -> TokenStream {
        let Some(t) = self.ty(id) else {
            return quote!(());
        };
        let f = format_ident!("arbitrary_{}", t.name);
        let module = type_ident(&t.module);
        match from {
            Some(m) if m == t.module => quote!(#f),
            Some(_) => quote!(super::#module::#f),
            None => quote!(self::#module::#f),
        }
    }

    fn residual_filter(&self, t: &TypeDef) -> TokenStream {
        let rt = &self.rt;
        match &t.residual {
            Some(r) => {
                quote!(.prop_filter("schema keywords the type cannot hold", |v| #rt::strategies::satisfies(v, #r)))
            }
            None => TokenStream::new(),
        }
    }

    fn arbitrary_alias(&self, id: TypeId, t: &TypeDef, shape: &Shape) -> TokenStream {
        let Some(feature) = &self.opts.proptest_feature else {
            return TokenStream::new();
        };
        let name = type_ident(&t.name);
        let f = format_ident!("arbitrary_{}", t.name);
        let strat = if self.recursive_any(id, id) {
            quote!(::proptest::strategy::Just(::std::default::Default::default()).boxed())
        } else {
            self.strategy(id, shape, &t.module)
        };
        let filter = self.residual_filter(t);
        let doc = format!(" Values of [`{}`] valid under the schema.", t.name);
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            #[allow(non_snake_case)]
            pub fn #f() -> ::proptest::strategy::BoxedStrategy<#name> {
                use ::proptest::strategy::Strategy as _;
                #strat #filter .boxed()
            }
        }
    }

    fn arbitrary_struct(&self, id: TypeId, t: &TypeDef, s: &StructDef) -> TokenStream {
        let Some(feature) = &self.opts.proptest_feature else {
            return TokenStream::new();
        };
        let rt = &self.rt;
        let name = type_ident(&t.name);
        let module = t.module.as_str();
        let mut pats = Vec::new();
        let mut strats = Vec::new();
        let mut inits = Vec::new();
        for (i, f) in s.fields.iter().enumerate() {
            let ident = field_ident(&f.name);
            let var = format_ident!("f{}", i);
            let strat = if f.required {
                self.strategy(id, &f.shape, module)
            } else if self.cuts_recursion(id, &f.shape) {
                quote!(::proptest::strategy::Just(::std::option::Option::None).boxed())
            } else {
                let inner = self.strategy(id, &f.shape, module);
                quote!(::proptest::option::of(#inner).boxed())
            };
            pats.push(quote!(#var));
            strats.push(strat);
            inits.push(quote!(#ident: #var));
        }
        if s.extra.is_some() {
            let ident = field_ident(&s.extra_name);
            inits.push(quote!(#ident: ::std::default::Default::default()));
        }
        let (pat, expr) = nest(&pats, &strats);
        let mut filter = if s.min_properties > 0 {
            let n = Literal::usize_unsuffixed(s.min_properties);
            quote!(.prop_filter("minProperties", |v| #rt::strategies::property_count(v) >= #n))
        } else {
            TokenStream::new()
        };
        filter.extend(self.residual_filter(t));
        quote! {
            #[cfg(feature = #feature)]
            impl ::proptest::arbitrary::Arbitrary for #name {
                type Parameters = ();
                type Strategy = ::proptest::strategy::BoxedStrategy<Self>;
                fn arbitrary_with(_: Self::Parameters) -> Self::Strategy {
                    use ::proptest::strategy::Strategy as _;
                    #[allow(unused_parens)]
                    let s = #expr.prop_map(|#pat| Self { #(#inits,)* });
                    s #filter .boxed()
                }
            }
        }
    }

    fn arbitrary_union(
        &self,
        id: TypeId,
        t: &TypeDef,
        variants: Vec<(&String, &Shape)>,
    ) -> TokenStream {
        let Some(feature) = &self.opts.proptest_feature else {
            return TokenStream::new();
        };
        let name = type_ident(&t.name);
        let module = t.module.as_str();
        let mut arms: Vec<TokenStream> = variants
            .iter()
            .filter(|(_, shape)| !self.cuts_recursion(id, shape))
            .map(|(vn, shape)| {
                let vn = type_ident(vn);
                let s = self.strategy(id, shape, module);
                quote!(#s.prop_map(Self::#vn).boxed())
            })
            .collect();
        if arms.is_empty() {
            arms = variants
                .iter()
                .map(|(vn, shape)| {
                    let vn = type_ident(vn);
                    let s = self.strategy(id, shape, module);
                    quote!(#s.prop_map(Self::#vn).boxed())
                })
                .collect();
        }
        let filter = self.residual_filter(t);
        quote! {
            #[cfg(feature = #feature)]
            impl ::proptest::arbitrary::Arbitrary for #name {
                type Parameters = ();
                type Strategy = ::proptest::strategy::BoxedStrategy<Self>;
                fn arbitrary_with(_: Self::Parameters) -> Self::Strategy {
                    use ::proptest::strategy::Strategy as _;
                    ::proptest::strategy::Union::new(::std::vec![#(#arms),*]) #filter .boxed()
                }
            }
        }
    }

    fn emit_glue(&self) -> TokenStream {
        let rt = &self.rt;
        let mut out = TokenStream::new();
        if self.ir.endpoints.is_empty() || !self.opts.request_enum {
            return out;
        }
        let mut variants = Vec::new();
        let mut parse_arms = Vec::new();
        let mut id_arms = Vec::new();
        let mut validate_arms = Vec::new();
        let mut ids = Vec::new();
        let mut impls = Vec::new();
        for e in &self.ir.endpoints {
            let vn = type_ident(&e.variant);
            let path = self.path(e.root, None);
            let id = &e.id;
            let title = self
                .ty(e.root)
                .and_then(|t| t.title.clone())
                .unwrap_or_default();
            let d = format!(" `{id}`: {title}");
            variants.push(quote!(#[doc = #d] #vn(#path)));
            parse_arms.push(
                quote!(#id => #rt::from_value_with::<#path>(endpoint_id, value, options).map(Self::#vn)),
            );
            id_arms.push(quote!(Self::#vn(_) => #id));
            validate_arms.push(quote!(Self::#vn(r) => #rt::Endpoint::validate(r)));
            ids.push(id.clone());
            if self.opts.endpoint_impls {
                impls.push(quote! {
                    impl #rt::Endpoint for #path {
                        const ENDPOINT: &'static str = #id;
                    }
                });
            }
        }
        let validate = if self.opts.endpoint_impls {
            quote! {
                /// Runs the full validator (schema and preflight rules) on the
                /// serialized form of this request.
                #[must_use]
                pub fn validate(&self) -> crate::Report {
                    match self { #(#validate_arms,)* }
                }
            }
        } else {
            TokenStream::new()
        };
        let arb = match &self.opts.proptest_feature {
            Some(f) => {
                let root_strategy = |e: &crate::ir::Endpoint| {
                    let path = self.path(e.root, None);
                    if matches!(self.ty(e.root).map(|t| &t.kind), Some(Kind::Alias(_))) {
                        let f = self.arbitrary_fn_path(e.root, None);
                        quote!(#f())
                    } else {
                        quote!(::proptest::arbitrary::any::<#path>())
                    }
                };
                let arms = self.ir.endpoints.iter().map(|e| {
                    let vn = type_ident(&e.variant);
                    let s = root_strategy(e);
                    quote!(#s.prop_map(Self::#vn).boxed())
                });
                let ids_arms: Vec<TokenStream> = self
                    .ir
                    .endpoints
                    .iter()
                    .map(|e| {
                        let vn = type_ident(&e.variant);
                        let s = root_strategy(e);
                        let id = &e.id;
                        quote!(#id => ::std::option::Option::Some(#s.prop_map(Self::#vn).boxed()))
                    })
                    .collect();
                let arms: Vec<TokenStream> = arms.collect();
                quote! {
                    #[cfg(feature = #f)]
                    impl Request {
                        /// Valid requests to one endpoint (`None` for an unknown id).
                        pub fn arbitrary_for(endpoint_id: &str) -> ::std::option::Option<::proptest::strategy::BoxedStrategy<Self>> {
                            use ::proptest::strategy::Strategy as _;
                            match endpoint_id {
                                #(#ids_arms,)*
                                _ => ::std::option::Option::None,
                            }
                        }
                    }
                    #[cfg(feature = #f)]
                    impl ::proptest::arbitrary::Arbitrary for Request {
                        type Parameters = ();
                        type Strategy = ::proptest::strategy::BoxedStrategy<Self>;
                        fn arbitrary_with(_: Self::Parameters) -> Self::Strategy {
                            use ::proptest::strategy::Strategy as _;
                            ::proptest::strategy::Union::new(::std::vec![#(#arms),*]).boxed()
                        }
                    }
                }
            }
            None => TokenStream::new(),
        };
        let (request_schemars, schema_for) = match &self.opts.schemars_feature {
            Some(f) => {
                let arms = self.ir.endpoints.iter().map(|e| {
                    let path = self.path(e.root, None);
                    let id = &e.id;
                    quote!(#id => ::std::option::Option::Some(::schemars::schema_for!(#path)))
                });
                (
                    quote!(#[cfg_attr(feature = #f, derive(::schemars::JsonSchema), schemars(description = "A request to any endpoint."))]),
                    quote! {
                        #[cfg(feature = #f)]
                        impl Request {
                            /// The JSON Schema of one endpoint's request type, as
                            /// `schemars::schema_for!` generates it (`None` for an
                            /// unknown id): for OpenAPI documents of APIs that accept
                            /// these payloads.
                            #[must_use]
                            pub fn json_schema_for(endpoint_id: &str) -> ::std::option::Option<::schemars::Schema> {
                                match endpoint_id {
                                    #(#arms,)*
                                    _ => ::std::option::Option::None,
                                }
                            }
                        }
                    },
                )
            }
            None => (TokenStream::new(), TokenStream::new()),
        };
        out.extend(quote! {
            /// A request to any endpoint. Serializes to the payload itself
            /// (not wrapped); [`Request::parse`] picks the type by endpoint id.
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
            #request_schemars
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum Request { #(#variants,)* }
            impl Request {
                /// Every endpoint id, in schema order.
                pub const ENDPOINTS: &'static [&'static str] = &[#(#ids),*];

                /// Parses `json` as a request to `endpoint_id` and runs the full
                /// validator on it: a request this returns is a payload
                /// preflight accepts (no error finding; warnings are left to
                /// [`Request::validate`]).
                ///
                /// # Errors
                ///
                /// The endpoint id is unknown, the text is not JSON, the
                /// payload does not fit the endpoint's type (the error names
                /// the field), or preflight reports error findings on it
                /// (`ParseError::Invalid`, all of them).
                pub fn parse(endpoint_id: &str, json: &str) -> ::std::result::Result<Self, #rt::ParseError> {
                    Self::parse_with(endpoint_id, json, &#rt::Options::default())
                }

                /// [`Request::parse`] with validator options: rule levels, the
                /// account's templates.
                ///
                /// # Errors
                ///
                /// As [`Request::parse`].
                pub fn parse_with(endpoint_id: &str, json: &str, options: &#rt::Options) -> ::std::result::Result<Self, #rt::ParseError> {
                    let value = #rt::parse_json(endpoint_id, json)?;
                    Self::from_value_with(endpoint_id, value, options)
                }

                /// Like [`Request::parse`], from an already parsed value.
                ///
                /// # Errors
                ///
                /// As [`Request::parse`].
                pub fn from_value(endpoint_id: &str, value: ::serde_json::Value) -> ::std::result::Result<Self, #rt::ParseError> {
                    Self::from_value_with(endpoint_id, value, &#rt::Options::default())
                }

                /// [`Request::from_value`] with validator options.
                ///
                /// # Errors
                ///
                /// As [`Request::parse`].
                pub fn from_value_with(endpoint_id: &str, value: ::serde_json::Value, options: &#rt::Options) -> ::std::result::Result<Self, #rt::ParseError> {
                    match endpoint_id {
                        #(#parse_arms,)*
                        _ => ::std::result::Result::Err(#rt::ParseError::unknown_endpoint(endpoint_id, Self::ENDPOINTS)),
                    }
                }

                /// The endpoint id of this request (`sandeza/send`).
                #[must_use]
                pub fn endpoint_id(&self) -> &'static str {
                    match self { #(#id_arms,)* }
                }

                #validate
            }
            #arb
            #schema_for
            #(#impls)*
        });
        out
    }
}

/// Nests up to 8 strategies per tuple (proptest implements `Strategy` for
/// tuples up to 12), so structs of any size get one `prop_map`.
fn nest(pats: &[TokenStream], strats: &[TokenStream]) -> (TokenStream, TokenStream) {
    if pats.len() <= 8 {
        return (quote!((#(#pats),*)), quote!((#(#strats),*)));
    }
    let mut ps = Vec::new();
    let mut ss = Vec::new();
    for (pc, sc) in pats.chunks(8).zip(strats.chunks(8)) {
        let (p, s) = nest(pc, sc);
        ps.push(p);
        ss.push(s);
    }
    nest(&ps, &ss)
}

fn string_summary(s: &StringSpec) -> String {
    let mut parts = Vec::new();
    match (s.min_length, s.max_length) {
        (0, Some(m)) => parts.push(format!("at most {m} characters")),
        (n, Some(m)) if n == m => parts.push(format!("exactly {n} characters")),
        (n, Some(m)) => parts.push(format!("{n} to {m} characters")),
        (0, None) => {}
        (n, None) => parts.push(format!(
            "at least {n} character{}",
            if n == 1 { "" } else { "s" }
        )),
    }
    for p in &s.patterns {
        parts.push(format!("matches `{p}`"));
    }
    if let Some(f) = &s.format {
        parts.push(format!("format `{f}`"));
    }
    if s.advisory_max_length.is_some()
        || s.advisory_min_length.is_some()
        || !s.advisory_patterns.is_empty()
    {
        parts.push(
            "advisory limits are reported by `validate()` as warnings, not enforced here".into(),
        );
    }
    if parts.is_empty() {
        "A string.".into()
    } else {
        format!(
            "Checked on construction and deserialization: {}.",
            parts.join("; ")
        )
    }
}

fn number_summary(n: &NumberSpec) -> String {
    let mut parts = Vec::new();
    if let Some(v) = n.minimum {
        parts.push(format!("at least {v}"));
    }
    if let Some(v) = n.exclusive_minimum {
        parts.push(format!("above {v}"));
    }
    if let Some(v) = n.maximum {
        parts.push(format!("at most {v}"));
    }
    if let Some(v) = n.exclusive_maximum {
        parts.push(format!("below {v}"));
    }
    if let Some(v) = n.multiple_of {
        parts.push(format!("a multiple of {v}"));
    }
    if n.advisory_minimum.is_some() || n.advisory_maximum.is_some() {
        parts.push("advisory range reported by `validate()` as warnings, not enforced here".into());
    }
    if parts.is_empty() {
        "A number.".into()
    } else {
        format!(
            "Checked on construction and deserialization: {}.",
            parts.join("; ")
        )
    }
}

/// `extend("not" = {...})` for a type's residual keywords (empty if none).
fn residual_extend(residual: Option<&str>) -> TokenStream {
    let Some(map) = residual
        .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
        .and_then(|v| match v {
            serde_json::Value::Object(m) => Some(m),
            _ => None,
        })
    else {
        return TokenStream::new();
    };
    let entries = map.iter().map(|(k, v)| {
        let v = json_tokens(v);
        quote!(#k = #v)
    });
    quote!(extend(#(#entries),*))
}

/// A JSON value in `serde_json::json!` syntax.
fn json_tokens(v: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match v {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let l = Literal::u64_unsuffixed(i.unsigned_abs());
                if i < 0 { quote!(-#l) } else { quote!(#l) }
            } else if let Some(u) = n.as_u64() {
                let l = Literal::u64_unsuffixed(u);
                quote!(#l)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                let l = Literal::f64_unsuffixed(f.abs());
                if f < 0.0 { quote!(-#l) } else { quote!(#l) }
            }
        }
        Value::String(s) => quote!(#s),
        Value::Array(a) => {
            let items = a.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(m) => {
            let entries = m.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}
