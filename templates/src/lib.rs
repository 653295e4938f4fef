//! # preflight-templates
//!
//! The WhatsApp message templates of an account, read from what Meta's
//! `GET /{waba-id}/message_templates` returns (which every provider mirrors
//! and users can export): `{"data": [{name, language, status, category,
//! parameter_format, components}], "paging": …}`, or a bare array of such
//! objects. Unknown fields are ignored, as Meta adds fields.
//!
//! The model is shared by preflight's validator (which checks every template
//! send against it) and its code generator.
//!
//! ```
//! use preflight_templates::TemplateSet;
//!
//! let mut set = TemplateSet::new();
//! set.add_text("templates.json", r#"{"data": [{"name": "pengingat_tagihan", "language": "id",
//!     "status": "APPROVED", "category": "UTILITY",
//!     "components": [{"type": "BODY", "text": "Halo {{1}}, tagihan {{2}} jatuh tempo {{3}}"}]}]}"#)?;
//! let template = set.get("pengingat_tagihan", "id").expect("read");
//! assert_eq!(template.body.as_ref().map(|b| b.parameter_count()), Some(3));
//! # Ok::<(), preflight_templates::LoadError>(())
//! ```

mod model;
pub mod placeholder;
mod set;

pub use model::{
    Button, ButtonKind, Card, Category, Header, HeaderFormat, Origin, ParameterFormat, ShapeError,
    Status, Template, Text,
};
pub use placeholder::{Key, Placeholder};
pub use set::{LoadError, Resolved, TemplateSet, Templates, json_files};
