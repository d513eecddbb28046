//! C text for a type, as LuaJIT prints ctypes: `int *`, `const char *`, `struct foo`,
//! `int [10]`, `int (*)(int)`, `int (*[3])(void)`; an anonymous struct is `struct <id>`.

use super::table::CTypeTable;
use super::types::{ArrayLen, CType, CTypeId};

impl CTypeTable {
    /// The type as an abstract C declaration (`int (*)(int)`).
    pub fn render(&self, id: CTypeId) -> String {
        self.render_decl(id, "")
    }

    /// The type as a C declaration of `name` (`int (*name)(int)`); with an empty name, the
    /// same as [`CTypeTable::render`].
    pub fn render_decl(&self, id: CTypeId, name: &str) -> String {
        self.declarator(id, name.to_string())
    }

    /// `inner` is the declarator built so far, from the name outwards.
    fn declarator(&self, id: CTypeId, inner: String) -> String {
        match self.get(id) {
            CType::Qualified { base, quals } => match self.get(*base) {
                CType::Pointer(target) => self.pointer(*target, format!("*{quals}{}", spaced(&inner))),
                _ => join(&format!("{quals} {}", self.specifier(*base)), &inner),
            },
            CType::Pointer(target) => self.pointer(*target, format!("*{inner}")),
            CType::Array { elem, len } => {
                let len = match len {
                    ArrayLen::Fixed(n) => n.to_string(),
                    ArrayLen::Flexible => String::new(),
                    ArrayLen::Variable => "?".to_string(),
                };
                self.declarator(*elem, format!("{inner}[{len}]"))
            }
            CType::Func(f) => {
                let mut params: Vec<String> = f.params.iter().map(|p| self.render(*p)).collect();
                if f.variadic {
                    params.push("...".into());
                }
                if params.is_empty() {
                    params.push("void".into());
                }
                // `int (__stdcall *)(int)` for pointers, `int __stdcall (int)` for functions.
                let inner = match (f.conv.c_name(), inner.strip_prefix('(')) {
                    (Some(conv), Some(rest)) => format!("({conv} {rest}"),
                    (Some(conv), None) => format!("{conv} {inner}"),
                    (None, _) => inner,
                };
                self.declarator(f.ret, format!("{inner}({})", params.join(", ")))
            }
            _ => join(&self.specifier(id), &inner),
        }
    }

    /// A pointer declarator: parenthesised when it points to an array or a function.
    fn pointer(&self, target: CTypeId, inner: String) -> String {
        let (base, _) = self.unqualified(target);
        match self.get(base) {
            CType::Array { .. } | CType::Func(_) => self.declarator(target, format!("({inner})")),
            _ => self.declarator(target, inner),
        }
    }

    /// The type specifier of a non-derived type.
    fn specifier(&self, id: CTypeId) -> String {
        match self.get(id) {
            CType::Void => "void".into(),
            CType::Bool => "bool".into(),
            CType::Int(k) => k.c_name().into(),
            CType::Float(k) => k.c_name().into(),
            CType::Complex(k) => format!("complex {}", k.c_name()),
            CType::VaList => "va_list".into(),
            CType::Record(r) => match &r.tag {
                Some(tag) => format!("{} {tag}", r.kind.keyword()),
                None => format!("{} {}", r.kind.keyword(), id.index()),
            },
            CType::Enum(e) => match &e.tag {
                Some(tag) => format!("enum {tag}"),
                None => format!("enum {}", id.index()),
            },
            CType::Qualified { .. } | CType::Pointer(_) | CType::Array { .. } | CType::Func(_) => self.render(id),
        }
    }
}

/// `spec inner`, with nothing after an empty one. An array suffix is spaced off too
/// (`int [10]`), as LuaJIT prints array types in messages and `tostring`.
fn join(spec: &str, inner: &str) -> String {
    if inner.is_empty() {
        spec.to_string()
    } else {
        format!("{spec} {inner}")
    }
}

/// A space between a qualifier and what follows it, unless nothing follows.
fn spaced(inner: &str) -> String {
    if inner.is_empty() || inner.starts_with('[') || inner.starts_with(')') {
        inner.to_string()
    } else {
        format!(" {inner}")
    }
}
