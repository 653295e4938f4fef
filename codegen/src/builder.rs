//! Builders: `X::builder().field(…).build()` for every generated struct, and
//! the conversions that let a variant struct or its builder stand for its
//! enum.
//!
//! The generated code is small on purpose: one slot and one setter per
//! field and a `build()` that hands each slot to the runtime (`Fields`),
//! which prefixes nested problems with the field's name and keeps the JSON
//! of what is set. Conversions (a `&str` into a constrained string, a nested
//! builder into its struct, a list of builders into a bounded vector) are the
//! runtime's `Input` trait, implemented once; the generator adds only
//! `Input<X> for XBuilder` and, for enums of structs, `From<Variant>` and
//! `Input<Enum> for VariantBuilder`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_attrs};
use crate::case::{field_ident, type_ident};
use crate::ir::{Kind, Shape, StructDef, TypeDef, TypeId};

impl Emitter<'_> {
    /// The builder's name: `<Struct>Builder`, unless a schema type has it.
    fn builder_name(&self, t: &TypeDef) -> String {
        let mut name = format!("{}Builder", t.name);
        while self
            .ir
            .types
            .iter()
            .any(|o| o.module == t.module && o.name == name)
        {
            name.push('2');
        }
        name
    }

    /// The provider id the module's schemas come from (`sandeza`), named in
    /// the limits of build errors.
    fn provider_of(&self, module: &str) -> String {
        self.ir
            .modules
            .iter()
            .find(|(m, _)| m == module)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    }

    /// The shape behind type aliases (`WhatsAppTemplateButtons` → its array).
    fn resolved<'s>(&'s self, shape: &'s Shape) -> &'s Shape {
        let mut shape = shape;
        for _ in 0..16 {
            match shape {
                Shape::Named(id) => match self.ty(*id).map(|t| &t.kind) {
                    Some(Kind::Alias(inner)) => shape = inner,
                    _ => return shape,
                },
                _ => return shape,
            }
        }
        shape
    }

    fn is_endpoint_root(&self, id: TypeId) -> bool {
        self.opts.endpoint_impls && self.ir.endpoints.iter().any(|e| e.root == id)
    }

    /// `X::builder()`, `XBuilder` with its setters and `build()`, and
    /// `Input<X> for XBuilder`.
    pub(super) fn emit_builder(&self, id: TypeId, t: &TypeDef, s: &StructDef) -> TokenStream {
        let rt = &self.rt;
        let name = type_ident(&t.name);
        let bname_text = self.builder_name(t);
        let bname = type_ident(&bname_text);
        let module = t.module.as_str();
        let provider = self.provider_of(module);
        let endpoint = self.is_endpoint_root(id);
        let mut slots = Vec::new();
        let mut setters = Vec::new();
        let mut takes = Vec::new();
        let mut required = Vec::new();
        let mut inits = Vec::new();
        for f in &s.fields {
            let ident = field_ident(&f.name);
            let local = format_ident!("f_{}", f.name);
            let raw = &f.raw;
            let ty = self.field_type(id, &f.shape, module);
            let inner = self.rust_type(&f.shape, Some(module));
            let boxed = self.needs_box(id, &f.shape);
            let slot_doc = doc_attrs(Some(&self.field_doc(f)));
            slots.push(quote!(#slot_doc #ident: #rt::Slot<#ty>));
            let how = if f.literal {
                "Optional: it has one allowed value, which `build()` fills in."
            } else if f.required {
                "Required: `build()` reports it missing if unset."
            } else {
                "Optional."
            };
            let array_items = match self.resolved(&f.shape) {
                Shape::Array { items, .. } => Some(self.rust_type(items, Some(module))),
                _ => None,
            };
            let doc = match &array_items {
                Some(_) => format!(
                    "{}\n\n{how} Takes any list of items (values or their builders); each problem is reported under its index.",
                    self.field_doc(f)
                ),
                None => format!("{}\n\n{how}", self.field_doc(f)),
            };
            let doc = doc_attrs(Some(&doc));
            let (generics, param, set) = match &array_items {
                Some(item) => (
                    quote!(<I: #rt::Input<#item>>),
                    quote!(items: impl ::std::iter::IntoIterator<Item = I>),
                    quote!(#rt::set_items::<#inner, I>(items, #provider)),
                ),
                None => (
                    TokenStream::new(),
                    quote!(value: impl #rt::Input<#inner>),
                    quote!(#rt::set(value, #provider)),
                ),
            };
            let set = if boxed { quote!(#rt::boxed(#set)) } else { set };
            setters.push(quote! {
                #doc
                pub fn #ident #generics(mut self, #param) -> Self {
                    self.#ident = #set;
                    self
                }
            });
            if f.literal {
                takes.push(quote!(let #local = fields.literal(#raw, self.#ident);));
            } else if f.required {
                takes.push(quote!(let #local = fields.required(#raw, self.#ident);));
                required.push(local.clone());
            } else {
                takes.push(quote!(let #local = fields.optional(#raw, self.#ident);));
            }
            inits.push(quote!(#ident: #local));
        }
        if s.extra.is_some() {
            let ident = field_ident(&s.extra_name);
            inits.push(quote!(#ident: ::std::default::Default::default()));
        }
        let unwrap_required = if required.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                let (#(::std::option::Option::Some(#required),)*) = (#(#required,)*) else {
                    return ::std::result::Result::Err(fields.fail());
                };
            }
        };
        let fields_fn = if endpoint {
            format_ident!("build_fields")
        } else {
            format_ident!("build")
        };
        let fields_doc = if endpoint {
            " The value from the fields, without the validator."
        } else {
            " The value, once every field is set and valid.\n\n # Errors\n\n Every missing or invalid field at once, in one `BuildError`, each under\n its field path (`whatsapp.msisdn: …`, `button[0].parameters: …`)."
        };
        let fields_doc = doc_attrs(Some(fields_doc));
        let vis = if endpoint {
            TokenStream::new()
        } else {
            quote!(pub)
        };
        let validated = if endpoint {
            quote! {
                /// The request, once every field is set and valid and the full
                /// validator (schema and preflight rules, default options) finds
                /// no error in its serialized form. Warnings do not fail the
                /// build; `validate()` on the built value reports them.
                ///
                /// # Errors
                ///
                /// Every missing or invalid field at once, each under its
                /// path (`ref_id: …`, `channel.whatsapp.msisdn: …`), then every
                /// error finding of the validator (path, message, rule id).
                pub fn build(self) -> ::std::result::Result<#name, #rt::BuildError> {
                    self.build_with(&::std::default::Default::default())
                }

                /// As [`build`](Self::build), with the given options (rule
                /// levels, the account's templates).
                ///
                /// # Errors
                ///
                /// As [`build`](Self::build).
                pub fn build_with(self, options: &crate::Options) -> ::std::result::Result<#name, #rt::BuildError> {
                    #rt::validated(self.build_fields(), options)
                }
            }
        } else {
            TokenStream::new()
        };
        let what = if endpoint {
            ", then runs the validator on the result"
        } else {
            ""
        };
        let builder_doc = format!(
            " Builds a [`{n}`] field by field: one setter per field, named as the field,\n taking what you have (a `&str` for a checked string, a number, a nested\n builder, a list). `build()` reports every missing or invalid field at once,\n each under its field path{what}.\n\n [`{n}::new`] takes the required fields as arguments instead, so a missing\n one does not compile; the builder checks them when built, at run time.",
            n = t.name
        );
        let builder_doc = doc_attrs(Some(&builder_doc));
        let ctor_doc = format!(
            " A builder for `{}`: set fields by name, then `build()`; every missing or\n invalid field is reported at once, under its path (at run time; [`{}::new`]\n enforces the required fields at compile time).",
            t.name, t.name
        );
        let ctor_doc = doc_attrs(Some(&ctor_doc));
        quote! {
            impl #name {
                #ctor_doc
                pub fn builder() -> #bname {
                    ::std::default::Default::default()
                }
            }
            #builder_doc
            #[derive(::std::fmt::Debug, ::std::default::Default)]
            #[must_use]
            pub struct #bname { #(#slots,)* }
            impl #bname {
                #(#setters)*
                #validated
                #fields_doc
                #vis fn #fields_fn(self) -> ::std::result::Result<#name, #rt::BuildError> {
                    let mut fields = #rt::Fields::new();
                    #(#takes)*
                    #unwrap_required
                    fields.finish()?;
                    ::std::result::Result::Ok(#name { #(#inits,)* })
                }
            }
            impl #rt::Input<#name> for #bname {
                fn input(self, _: &'static str) -> ::std::result::Result<#name, #rt::BuildError> {
                    self.#fields_fn()
                }
            }
        }
    }

    /// `From<Variant> for Enum` and `Input<Enum> for VariantBuilder`, for
    /// every variant that is the enum's only one holding its struct.
    pub(super) fn emit_variant_inputs(
        &self,
        id: TypeId,
        t: &TypeDef,
        variants: &[(&String, &Shape)],
    ) -> TokenStream {
        let rt = &self.rt;
        let name = type_ident(&t.name);
        let module = t.module.as_str();
        let mut out = TokenStream::new();
        let arrays: Vec<_> = variants
            .iter()
            .filter(|(_, s)| matches!(self.resolved(s), Shape::Array { .. }))
            .collect();
        if let [(vn, shape)] = arrays.as_slice()
            && let Shape::Array { items, .. } = self.resolved(shape)
        {
            // A list stands for the enum's only array form (`button: [..]` or "").
            let vn = type_ident(vn);
            let item = self.rust_type(items, Some(module));
            let vty = self.rust_type(shape, Some(module));
            let wrap = if self.needs_box(id, shape) {
                quote!(.map(|v| #name::#vn(::std::boxed::Box::new(v))))
            } else {
                quote!(.map(#name::#vn))
            };
            out.extend(quote! {
                impl<I: #rt::Input<#item>> #rt::Input<#name> for ::std::vec::Vec<I> {
                    fn input(self, provider: &'static str) -> ::std::result::Result<#name, #rt::BuildError> {
                        #rt::items::<#vty, I>(self, provider)#wrap
                    }
                }
                impl<I: #rt::Input<#item>, const N: usize> #rt::Input<#name> for [I; N] {
                    fn input(self, provider: &'static str) -> ::std::result::Result<#name, #rt::BuildError> {
                        #rt::items::<#vty, I>(self, provider)#wrap
                    }
                }
            });
        }
        for (vn, shape) in variants {
            let Shape::Named(vid) = shape else {
                continue;
            };
            let Some(vt) = self.ty(*vid) else {
                continue;
            };
            if !matches!(vt.kind, Kind::Struct(_)) {
                continue;
            }
            if variants.iter().filter(|(_, s)| *s == *shape).count() != 1 {
                continue;
            }
            let vn = type_ident(vn);
            let vty = self.rust_type(shape, Some(module));
            let wrap = if self.needs_box(id, shape) {
                quote!(Self::#vn(::std::boxed::Box::new(value)))
            } else {
                quote!(Self::#vn(value))
            };
            let bpath = {
                let b = type_ident(&self.builder_name(vt));
                if vt.module == t.module {
                    quote!(#b)
                } else {
                    let m = type_ident(&vt.module);
                    quote!(super::#m::#b)
                }
            };
            let d = format!(" Wraps the `{}` variant.", vt.name);
            out.extend(quote! {
                impl ::std::convert::From<#vty> for #name {
                    #[doc = #d]
                    fn from(value: #vty) -> Self {
                        #wrap
                    }
                }
                impl #rt::Input<#name> for #bpath {
                    fn input(self, provider: &'static str) -> ::std::result::Result<#name, #rt::BuildError> {
                        #rt::Input::<#vty>::input(self, provider).map(::std::convert::From::from)
                    }
                }
            });
        }
        out
    }
}
