//! GCC `__attribute__((...))`, MSVC `__declspec(...)`, calling-convention keywords,
//! `_Alignas` and `asm("symbol")` labels.
//!
//! Attributes that change layout or calls are understood; attributes that change neither
//! (`nothrow`, `format`, `dllimport`...) are accepted and dropped; anything else is rejected by
//! name, so that nothing that could change a layout or a call is silently ignored.

use super::keywords::Kw;
use super::parser::{PResult, Parser};
use super::token::Token;
use crate::ctype::{CallConv, ParamAttr};

/// Attributes collected around one declaration or type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Attrs {
    pub packed: bool,
    /// The largest `aligned(N)`, `__declspec(align(N))` or `_Alignas(N)` seen.
    pub aligned: Option<u32>,
    pub conv: Option<CallConv>,
    pub param: ParamAttr,
    /// The part of `aligned` that came from `__declspec(align(N))`: written before `struct`
    /// in a definition, MSVC applies it to the type rather than to the declaration.
    pub declspec_aligned: Option<u32>,
}

impl Attrs {
    pub fn merge(&mut self, other: &Attrs, parser: &Parser) -> PResult<()> {
        self.packed |= other.packed;
        if let Some(a) = other.aligned {
            self.aligned = Some(self.aligned.map_or(a, |b| b.max(a)));
        }
        if let Some(c) = other.conv {
            set_conv(self, c, parser, parser.pos)?;
        }
        if other.param != ParamAttr::None {
            self.param = other.param;
        }
        if let Some(a) = other.declspec_aligned {
            self.declspec_aligned = Some(self.declspec_aligned.map_or(a, |b| b.max(a)));
        }
        Ok(())
    }
}

fn set_conv(attrs: &mut Attrs, conv: CallConv, parser: &Parser, tok: usize) -> PResult<()> {
    match attrs.conv {
        Some(c) if c != conv => Err(parser.error_at(tok, "conflicting calling conventions")),
        _ => {
            attrs.conv = Some(conv);
            Ok(())
        }
    }
}

/// What a GCC attribute name means to rivet.
enum AttrMeaning {
    Packed,
    Aligned,
    Conv(CallConv),
    Param(ParamAttr),
    /// Changes neither layout nor calls.
    Ignored,
    /// Changes layout or calls in a way rivet does not model.
    Unsupported,
}

/// GCC/Clang attribute names (without surrounding `__`): one table.
fn gnu_attribute(name: &str) -> Option<AttrMeaning> {
    use AttrMeaning::*;
    Some(match name {
        "packed" => Packed,
        "aligned" => Aligned,
        "cdecl" => Conv(CallConv::C),
        "stdcall" => Conv(CallConv::Stdcall),
        "fastcall" => Conv(CallConv::Fastcall),
        "thiscall" => Conv(CallConv::Thiscall),
        "ms_abi" => Conv(CallConv::MsAbi),
        "sysv_abi" => Conv(CallConv::SysvAbi),
        "swiftcall" => Conv(CallConv::Swift),
        "swift_context" => Param(ParamAttr::SwiftContext),
        "swift_error_result" => Param(ParamAttr::SwiftErrorResult),
        "swift_indirect_result" => Param(ParamAttr::SwiftIndirectResult),
        "nothrow"
        | "leaf"
        | "noreturn"
        | "const"
        | "pure"
        | "malloc"
        | "deprecated"
        | "unavailable"
        | "visibility"
        | "format"
        | "format_arg"
        | "nonnull"
        | "returns_nonnull"
        | "warn_unused_result"
        | "unused"
        | "used"
        | "noinline"
        | "always_inline"
        | "cold"
        | "hot"
        | "sentinel"
        | "may_alias"
        | "weak"
        | "dllimport"
        | "dllexport"
        | "artificial"
        | "gnu_inline"
        | "access"
        | "alloc_size"
        | "alloc_align"
        | "nonstring"
        | "availability"
        | "swift_name"
        | "warning"
        | "error"
        | "no_sanitize"
        | "fd_arg"
        | "fd_arg_read"
        | "fd_arg_write"
        | "returns_twice"
        | "noclone"
        | "flatten"
        | "optimize"
        | "target"
        | "section"
        | "externally_visible"
        | "retain"
        | "designated_init"
        | "ns_returns_retained"
        | "cf_returns_retained"
        | "objc_root_class"
        | "enum_extensibility"
        | "flag_enum"
        | "null_terminated_string_arg" => Ignored,
        "mode"
        | "vector_size"
        | "ext_vector_type"
        | "transparent_union"
        | "regparm"
        | "ms_struct"
        | "gcc_struct"
        | "vectorcall"
        | "regcall"
        | "preserve_most"
        | "preserve_all"
        | "pcs"
        | "aarch64_vector_pcs"
        | "scalar_storage_order"
        | "sseregparm" => Unsupported,
        _ => return None,
    })
}

/// MSVC `__declspec` names: one table.
fn declspec(name: &str) -> Option<AttrMeaning> {
    use AttrMeaning::*;
    Some(match name {
        "align" => Aligned,
        "dllimport" | "dllexport" | "noreturn" | "nothrow" | "noalias" | "restrict" | "selectany" | "deprecated"
        | "novtable" | "noinline" | "uuid" | "allocator" | "safebuffers" | "empty_bases" | "thread" => Ignored,
        _ => return None,
    })
}

impl Parser<'_> {
    /// Reads any number of `__attribute__((...))`, `__declspec(...)` and calling-convention
    /// keywords into `attrs`.
    pub fn attributes(&mut self, attrs: &mut Attrs) -> PResult<()> {
        loop {
            let tok = self.pos;
            let conv = match self.kw() {
                Some(Kw::Attribute) => {
                    self.bump();
                    self.gnu_attribute_list(attrs)?;
                    continue;
                }
                Some(Kw::Declspec) => {
                    self.bump();
                    self.declspec_list(attrs)?;
                    continue;
                }
                Some(Kw::Cdecl) => CallConv::C,
                Some(Kw::Stdcall) => CallConv::Stdcall,
                Some(Kw::Fastcall) => CallConv::Fastcall,
                Some(Kw::Thiscall) => CallConv::Thiscall,
                Some(Kw::Vectorcall) => return Err(self.error("unsupported calling convention '__vectorcall'")),
                _ => return Ok(()),
            };
            set_conv(attrs, conv, self, tok)?;
            self.bump();
        }
    }

    /// After `__attribute__`: `((item, item(args), ...))`.
    fn gnu_attribute_list(&mut self, attrs: &mut Attrs) -> PResult<()> {
        self.expect(Token::LParen, "(")?;
        self.expect(Token::LParen, "(")?;
        loop {
            if self.peek() == Token::RParen {
                break;
            }
            if self.eat(Token::Comma) {
                continue;
            }
            if self.peek() != Token::Ident {
                return Err(self.error("attribute name expected"));
            }
            let tok = self.pos;
            let raw = self.text();
            let name = raw.strip_prefix("__").and_then(|n| n.strip_suffix("__")).unwrap_or(raw);
            self.bump();
            match gnu_attribute(name) {
                None => return Err(self.error_at(tok, &format!("unknown attribute '{name}'"))),
                Some(AttrMeaning::Unsupported) => {
                    return Err(self.error_at(tok, &format!("unsupported attribute '{name}'")))
                }
                Some(AttrMeaning::Packed) => attrs.packed = true,
                Some(AttrMeaning::Aligned) => {
                    let n = if self.eat(Token::LParen) {
                        let n = self.alignment_value()?;
                        self.expect(Token::RParen, ")")?;
                        n
                    } else {
                        self.table.target().biggest_alignment()
                    };
                    attrs.aligned = Some(attrs.aligned.map_or(n, |a| a.max(n)));
                }
                Some(AttrMeaning::Conv(c)) => set_conv(attrs, c, self, tok)?,
                Some(AttrMeaning::Param(p)) => attrs.param = p,
                Some(AttrMeaning::Ignored) => {}
            }
            if self.peek() == Token::LParen {
                self.skip_balanced()?;
            }
            if self.peek() != Token::Comma && self.peek() != Token::RParen {
                return Err(self.error("')' expected"));
            }
        }
        self.expect(Token::RParen, ")")?;
        self.expect(Token::RParen, ")")
    }

    /// After `__declspec`: `(item item(args) ...)`.
    fn declspec_list(&mut self, attrs: &mut Attrs) -> PResult<()> {
        self.expect(Token::LParen, "(")?;
        while !self.eat(Token::RParen) {
            if self.peek() != Token::Ident {
                return Err(self.error("__declspec name expected"));
            }
            let tok = self.pos;
            let name = self.text();
            self.bump();
            match declspec(name) {
                Some(AttrMeaning::Aligned) => {
                    self.expect(Token::LParen, "(")?;
                    let n = self.alignment_value()?;
                    self.expect(Token::RParen, ")")?;
                    attrs.aligned = Some(attrs.aligned.map_or(n, |a| a.max(n)));
                    attrs.declspec_aligned = Some(attrs.declspec_aligned.map_or(n, |a| a.max(n)));
                }
                Some(_) => {
                    if self.peek() == Token::LParen {
                        self.skip_balanced()?;
                    }
                }
                None => return Err(self.error_at(tok, &format!("unsupported __declspec '{name}'"))),
            }
        }
        Ok(())
    }

    /// `_Alignas(N)` or `_Alignas(type)`.
    pub fn alignas(&mut self, attrs: &mut Attrs) -> PResult<()> {
        self.bump();
        self.expect(Token::LParen, "(")?;
        let n = if self.starts_type_name() {
            let at = self.pos;
            let ty = self.type_name()?;
            self.layout_here(ty, at)?.align
        } else {
            self.alignment_value()?
        };
        self.expect(Token::RParen, ")")?;
        attrs.aligned = Some(attrs.aligned.map_or(n, |a| a.max(n)));
        Ok(())
    }

    /// A constant expression that must be a power of two.
    fn alignment_value(&mut self) -> PResult<u32> {
        let at = self.pos;
        let n = self.const_int()?;
        match u32::try_from(n) {
            Ok(n) if n.is_power_of_two() && n <= 1 << 28 => Ok(n),
            _ => Err(self.error_at(at, "requested alignment is not a positive power of 2")),
        }
    }

    /// Skips a parenthesised token sequence (arguments of attributes rivet ignores).
    fn skip_balanced(&mut self) -> PResult<()> {
        let mut depth = 0u32;
        loop {
            match self.peek() {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return Ok(());
                    }
                }
                Token::Eof => return Err(self.error("')' expected")),
                _ => {}
            }
            self.bump();
        }
    }

    /// `asm("symbol")` after a declarator: the symbol to look up instead of the C name.
    pub fn asm_label(&mut self) -> PResult<Option<Box<str>>> {
        if self.kw() != Some(Kw::Asm) {
            return Ok(None);
        }
        self.bump();
        self.expect(Token::LParen, "(")?;
        if self.peek() != Token::StringLit {
            return Err(self.error("string expected"));
        }
        let bytes = self.string_literal()?;
        let name = String::from_utf8(bytes).map_err(|_| self.error("symbol name is not valid UTF-8"))?;
        if name.is_empty() {
            return Err(self.error("empty symbol name"));
        }
        self.expect(Token::RParen, ")")?;
        Ok(Some(name.into()))
    }
}
