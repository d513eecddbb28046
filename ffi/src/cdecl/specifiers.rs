//! Declaration specifiers (C11 §6.7.1-6.7.4): storage class, qualifiers, attributes and the
//! type specifiers, resolved into one base type.

use super::attributes::Attrs;
use super::keywords::Kw;
use super::parser::{PResult, Parser};
use super::token::Token;
use super::TypeParam;
use crate::ctype::{CType, CTypeId, FloatKind, IntKind, Quals};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Storage {
    Typedef,
    Extern,
    Static,
    Register,
}

/// Where specifiers appear: which storage classes are allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SpecContext {
    /// A file-scope declaration.
    Top,
    /// A struct or union member, a type name: no storage class.
    Member,
    /// A function parameter: only `register`.
    Param,
}

/// How a struct, union or enum specifier was written, to tell whether a declaration without
/// declarators declares anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TagUse {
    pub id: CTypeId,
    pub tagged: bool,
    pub has_body: bool,
}

/// Counts of the type-specifier keywords seen.
#[derive(Clone, Copy, Debug, Default)]
struct Keywords {
    void: u8,
    bool_: u8,
    char_: u8,
    short: u8,
    int: u8,
    long: u8,
    float: u8,
    double: u8,
    signed: u8,
    unsigned: u8,
    complex: u8,
    /// `__int8` ... `__int64` (MSVC), by width in bits.
    ms_int: Option<u8>,
}

impl Keywords {
    fn any(&self) -> bool {
        self.void
            + self.bool_
            + self.char_
            + self.short
            + self.int
            + self.long
            + self.float
            + self.double
            + self.signed
            + self.unsigned
            + self.complex
            > 0
            || self.ms_int.is_some()
    }
}

/// Parsed declaration specifiers.
#[derive(Clone, Debug)]
pub(super) struct Specs {
    pub storage: Option<Storage>,
    pub quals: Quals,
    pub attrs: Attrs,
    /// A type given by a struct/union/enum specifier, a typedef name or a `$` parameter.
    named: Option<CTypeId>,
    keywords: Keywords,
    pub tag: Option<TagUse>,
    /// Token index where the specifiers start (for messages).
    pub start: usize,
}

impl Specs {
    fn has_type(&self) -> bool {
        self.named.is_some() || self.keywords.any()
    }

    /// Whether anything at all was read.
    pub fn is_empty(&self, parser_pos: usize) -> bool {
        parser_pos == self.start
    }
}

impl Parser<'_> {
    /// Whether the current token can start a type name (used for casts and `sizeof`).
    pub fn starts_type_name(&self) -> bool {
        match self.kw() {
            Some(kw) => kw.starts_specifiers() && !matches!(kw, Kw::Typedef | Kw::Extern | Kw::Static | Kw::Register),
            None => {
                self.typedef_at(0).is_some()
                    || (self.peek() == Token::Dollar && matches!(self.peek_param(), Some(TypeParam::Type(_))))
            }
        }
    }

    pub fn specifiers(&mut self, context: SpecContext) -> PResult<Specs> {
        let mut s = Specs {
            storage: None,
            quals: Quals::NONE,
            attrs: Attrs::default(),
            named: None,
            keywords: Keywords::default(),
            tag: None,
            start: self.pos,
        };
        loop {
            if self.peek() == Token::Dollar && !s.has_type() {
                if let Some(TypeParam::Type(ty)) = self.peek_param() {
                    let ty = *ty;
                    self.take_param()?;
                    self.bump();
                    s.named = Some(ty);
                    continue;
                }
                break;
            }
            let Some(kw) = self.kw() else {
                if !s.has_type() {
                    if let Some(ty) = self.typedef_at(0) {
                        s.named = Some(ty);
                        self.bump();
                        continue;
                    }
                }
                break;
            };
            let here = self.pos;
            match kw {
                Kw::Typedef | Kw::Extern | Kw::Static | Kw::Register => {
                    let storage = match kw {
                        Kw::Typedef => Storage::Typedef,
                        Kw::Extern => Storage::Extern,
                        Kw::Static => Storage::Static,
                        _ => Storage::Register,
                    };
                    let allowed = match context {
                        SpecContext::Top => storage != Storage::Register,
                        SpecContext::Param => storage == Storage::Register,
                        SpecContext::Member => false,
                    };
                    if !allowed {
                        return Err(self.error("storage class not allowed here"));
                    }
                    if s.storage.is_some() {
                        return Err(self.error("multiple storage classes in declaration specifiers"));
                    }
                    s.storage = Some(storage);
                    self.bump();
                }
                Kw::Inline | Kw::Extension => self.bump(),
                Kw::Const => {
                    s.quals.is_const = true;
                    self.bump();
                }
                Kw::Volatile => {
                    s.quals.is_volatile = true;
                    self.bump();
                }
                Kw::Restrict => self.bump(),
                Kw::Struct | Kw::Union | Kw::Enum => {
                    if s.has_type() {
                        return Err(self.error("invalid combination of type specifiers"));
                    }
                    // `__declspec(align(N)) struct S {...}`: the alignment belongs to S.
                    let lead = if kw == Kw::Enum { None } else { s.attrs.declspec_aligned.take() };
                    if lead.is_some() && s.attrs.aligned == lead {
                        s.attrs.aligned = None;
                    }
                    let tag = if kw == Kw::Enum { self.enum_specifier()? } else { self.record_specifier(kw, lead)? };
                    if !tag.has_body && lead.is_some() {
                        s.attrs.aligned = s.attrs.aligned.max(lead);
                    }
                    s.named = Some(tag.id);
                    s.tag = Some(tag);
                }
                Kw::Attribute
                | Kw::Declspec
                | Kw::Cdecl
                | Kw::Stdcall
                | Kw::Fastcall
                | Kw::Thiscall
                | Kw::Vectorcall => {
                    self.attributes(&mut s.attrs)?;
                }
                Kw::Alignas => self.alignas(&mut s.attrs)?,
                Kw::Sizeof | Kw::Alignof | Kw::Asm => break,
                _ => {
                    if s.named.is_some() {
                        return Err(self.error("invalid combination of type specifiers"));
                    }
                    let k = &mut s.keywords;
                    let counter = match kw {
                        Kw::Void => &mut k.void,
                        Kw::Bool => &mut k.bool_,
                        Kw::Char => &mut k.char_,
                        Kw::Short => &mut k.short,
                        Kw::Int => &mut k.int,
                        Kw::Long => &mut k.long,
                        Kw::Float => &mut k.float,
                        Kw::Double => &mut k.double,
                        Kw::Signed => &mut k.signed,
                        Kw::Unsigned => &mut k.unsigned,
                        Kw::Complex => &mut k.complex,
                        Kw::Int8 | Kw::Int16 | Kw::Int32 | Kw::Int64 => {
                            if k.ms_int.is_some() {
                                return Err(self.error_at(here, "invalid combination of type specifiers"));
                            }
                            k.ms_int = Some(match kw {
                                Kw::Int8 => 8,
                                Kw::Int16 => 16,
                                Kw::Int32 => 32,
                                _ => 64,
                            });
                            self.bump();
                            continue;
                        }
                        _ => unreachable!("every specifier keyword is handled above"),
                    };
                    *counter += 1;
                    self.bump();
                }
            }
        }
        Ok(s)
    }

    /// The type the specifiers denote, qualifiers included.
    pub fn base_type(&mut self, s: &Specs) -> PResult<CTypeId> {
        let ty = match s.named {
            Some(ty) => ty,
            None => {
                let ty = self.keyword_type(&s.keywords, s.start)?;
                self.table.intern(ty)
            }
        };
        Ok(self.table.qualified(ty, s.quals))
    }

    fn keyword_type(&self, k: &Keywords, start: usize) -> PResult<CType> {
        let bad = || self.error_at(start, "invalid combination of type specifiers");
        if !k.any() {
            return Err(self.error("type specifier expected"));
        }
        if k.signed > 1 || k.unsigned > 1 || k.signed + k.unsigned > 1 || k.complex > 1 || k.long > 2 {
            return Err(bad());
        }
        let unsigned = k.unsigned == 1;
        let sign_given = k.signed + k.unsigned > 0;
        let others = |allowed: &[u8]| {
            let all = [k.void, k.bool_, k.char_, k.short, k.int, k.long, k.float, k.double];
            all.iter().sum::<u8>() == allowed.iter().sum::<u8>()
        };
        if let Some(bits) = k.ms_int {
            if !others(&[]) || k.complex > 0 {
                return Err(bad());
            }
            let kind = match (bits, unsigned) {
                (8, false) => IntKind::SChar,
                (8, true) => IntKind::UChar,
                (16, false) => IntKind::Short,
                (16, true) => IntKind::UShort,
                (32, false) => IntKind::Int,
                (32, true) => IntKind::UInt,
                (_, false) => IntKind::LongLong,
                (_, true) => IntKind::ULongLong,
            };
            return Ok(CType::Int(kind));
        }
        if k.float + k.double > 0 || k.complex > 0 {
            if sign_given || k.float + k.double > 1 {
                return Err(bad());
            }
            let kind = if k.float == 1 && others(&[k.float]) {
                FloatKind::Float
            } else if k.double == 1 && others(&[k.double]) {
                FloatKind::Double
            } else if k.double == 1 && k.long == 1 && others(&[k.double, k.long]) {
                FloatKind::LongDouble
            } else if k.complex == 1 && others(&[]) {
                // Plain `complex` is `complex double` (as in LuaJIT).
                FloatKind::Double
            } else {
                return Err(bad());
            };
            return Ok(if k.complex == 1 { CType::Complex(kind) } else { CType::Float(kind) });
        }
        if k.void == 1 {
            return if sign_given || !others(&[k.void]) { Err(bad()) } else { Ok(CType::Void) };
        }
        if k.bool_ == 1 {
            return if sign_given || !others(&[k.bool_]) { Err(bad()) } else { Ok(CType::Bool) };
        }
        if k.char_ > 0 {
            if k.char_ > 1 || !others(&[k.char_]) {
                return Err(bad());
            }
            let kind = match (k.signed, k.unsigned) {
                (1, _) => IntKind::SChar,
                (_, 1) => IntKind::UChar,
                _ => IntKind::Char,
            };
            return Ok(CType::Int(kind));
        }
        if k.int > 1 || k.short > 1 || (k.short == 1 && k.long > 0) || k.void + k.bool_ > 0 {
            return Err(bad());
        }
        let kind = match (k.short, k.long, unsigned) {
            (1, _, false) => IntKind::Short,
            (1, _, true) => IntKind::UShort,
            (_, 1, false) => IntKind::Long,
            (_, 1, true) => IntKind::ULong,
            (_, 2, false) => IntKind::LongLong,
            (_, 2, true) => IntKind::ULongLong,
            (_, _, false) => IntKind::Int,
            (_, _, true) => IntKind::UInt,
        };
        Ok(CType::Int(kind))
    }

    /// A type name: specifiers without storage class and an abstract declarator
    /// (`unsigned long`, `struct foo *`, `int (*)(int)`).
    pub fn type_name(&mut self) -> PResult<CTypeId> {
        let specs = self.specifiers(SpecContext::Member)?;
        if specs.is_empty(self.pos) {
            return Err(self.error("type expected"));
        }
        let base = self.base_type(&specs)?;
        let declarator = self.declarator(super::declarator::DeclMode::Abstract)?;
        let conv = specs.attrs.conv.or(declarator.attrs.conv);
        self.build_type(base, &declarator, conv)
    }
}
