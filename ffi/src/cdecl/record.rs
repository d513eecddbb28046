//! Struct and union specifiers (C11 §6.7.2.1): tags, definitions, members, bit-fields,
//! anonymous members, flexible and variable-length trailing arrays; and tag references shared
//! with enums.

use super::attributes::Attrs;
use super::declarator::{DeclMode, Declarator};
use super::keywords::Kw;
use super::parser::{PResult, Parser};
use super::specifiers::{SpecContext, TagUse};
use super::token::Token;
use super::TypeParam;
use crate::ctype::{int_repr, layout_of, CType, CTypeId, EnumType, Field, Record, RecordAttrs, RecordBody, RecordKind};
use crate::LayoutError;

/// What follows the keyword and tag of a struct, union or enum specifier.
pub(super) enum TagHead {
    /// No body: the specifier refers to the tag.
    Reference(TagUse),
    /// A body follows (`{` is next), for the tag, if one was written.
    Body(Option<(Box<str>, usize)>),
}

/// The kinds of tagged types, which share one namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    Struct,
    Union,
    Enum,
}

impl TagKind {
    fn keyword(self) -> &'static str {
        match self {
            TagKind::Struct => "struct",
            TagKind::Union => "union",
            TagKind::Enum => "enum",
        }
    }
}

fn tag_kind_of(ty: &CType) -> Option<TagKind> {
    match ty {
        CType::Record(r) if r.kind == RecordKind::Struct => Some(TagKind::Struct),
        CType::Record(_) => Some(TagKind::Union),
        CType::Enum(_) => Some(TagKind::Enum),
        _ => None,
    }
}

impl Parser<'_> {
    /// After `struct`/`union`/`enum` and leading attributes: an optional tag (an identifier or
    /// a `$` name parameter).
    /// After `struct`, `union` or `enum`: its attributes and tag. When no body follows, the
    /// specifier is a reference to the tag; attributes after such a tag belong to the
    /// declaration, not to the type (GCC: `struct s __attribute__((ms_abi)) f(void)` makes `f`
    /// ms_abi), so they are left to the declaration specifiers.
    pub fn tag_head(&mut self, kind: TagKind, attrs: &mut Attrs) -> PResult<TagHead> {
        self.bump();
        self.attributes(attrs)?;
        let tag = self.tag_name()?;
        let after_tag = (self.pos, self.next_param);
        self.attributes(attrs)?;
        if self.peek() == Token::LBrace {
            return Ok(TagHead::Body(tag));
        }
        (self.pos, self.next_param) = after_tag;
        let Some((name, at)) = tag else { return Err(self.error("identifier or '{' expected")) };
        let id = self.tag_reference(kind, &name, at)?;
        Ok(TagHead::Reference(TagUse { id, tagged: true, has_body: false }))
    }

    pub fn tag_name(&mut self) -> PResult<Option<(Box<str>, usize)>> {
        let at = self.pos;
        if self.peek() == Token::Ident && self.kw().is_none() {
            let tag = self.text().into();
            self.bump();
            return Ok(Some((tag, at)));
        }
        if self.peek() == Token::Dollar {
            if let Some(TypeParam::Name(name)) = self.peek_param() {
                let tag = name.as_str().into();
                self.take_param()?;
                self.bump();
                return Ok(Some((tag, at)));
            }
        }
        Ok(None)
    }

    /// The type a tag names, declaring an incomplete one if it is new (`struct foo *p;`).
    pub fn tag_reference(&mut self, kind: TagKind, tag: &str, at: usize) -> PResult<CTypeId> {
        if let Some(id) = self.table.lookup_tag(tag) {
            if tag_kind_of(self.table.get(id)) != Some(kind) {
                return Err(self.error_at(at, &format!("'{tag}' defined as wrong kind of tag")));
            }
            return Ok(id);
        }
        let id = match kind {
            TagKind::Enum => self.table.add_enum(EnumType { tag: Some(tag.into()), body: None }),
            TagKind::Struct | TagKind::Union => {
                let kind = if kind == TagKind::Struct { RecordKind::Struct } else { RecordKind::Union };
                self.table.add_record(Record { kind, tag: Some(tag.into()), body: None })
            }
        };
        self.table.define_tag(tag, id);
        Ok(id)
    }

    /// For a definition: the type to complete, and whether it was already complete (then the
    /// new body must match the old one).
    pub fn tag_for_definition(&mut self, kind: TagKind, tag: Option<&(Box<str>, usize)>) -> PResult<(CTypeId, bool)> {
        let Some((tag, at)) = tag else {
            let id = match kind {
                TagKind::Enum => self.table.add_enum(EnumType { tag: None, body: None }),
                TagKind::Struct => self.table.add_record(Record { kind: RecordKind::Struct, tag: None, body: None }),
                TagKind::Union => self.table.add_record(Record { kind: RecordKind::Union, tag: None, body: None }),
            };
            return Ok((id, false));
        };
        let id = self.tag_reference(kind, tag, *at)?;
        let complete = match self.table.get(id) {
            CType::Record(r) => r.body.is_some(),
            CType::Enum(e) => e.body.is_some(),
            _ => unreachable!("tag_reference checked the kind"),
        };
        Ok((id, complete))
    }

    /// `lead`: a `__declspec(align(N))` written before the keyword.
    pub fn record_specifier(&mut self, kw: Kw, lead: Option<u32>) -> PResult<TagUse> {
        let (kind, tag_kind) =
            if kw == Kw::Struct { (RecordKind::Struct, TagKind::Struct) } else { (RecordKind::Union, TagKind::Union) };
        let mut attrs = Attrs { aligned: lead, ..Attrs::default() };
        let tag = match self.tag_head(tag_kind, &mut attrs)? {
            TagHead::Reference(used) => return Ok(used),
            TagHead::Body(tag) => tag,
        };
        let pack = self.pack.current;
        let (id, was_complete) = self.tag_for_definition(tag_kind, tag.as_ref())?;
        let body_at = self.pos;
        let fields = self.nested(|p| p.record_body(kind))?;
        self.attributes(&mut attrs)?;
        if attrs.conv.is_some() {
            return Err(self.error("calling convention on a struct or union"));
        }
        let body = RecordBody { fields, attrs: RecordAttrs { packed: attrs.packed, align: attrs.aligned, pack } };
        // A member defined the same tag (`struct s { struct s { } x; }`): a redefinition.
        let completed_inside = matches!(self.table.get(id), CType::Record(r) if r.body.is_some());
        if !was_complete && completed_inside {
            let (name, at) = tag.expect("only tagged records can be completed elsewhere");
            return Err(self.error_at(at, &format!("redefinition of '{} {name}'", tag_kind.keyword())));
        }
        if was_complete {
            let CType::Record(Record { body: Some(old), .. }) = self.table.get(id).clone() else {
                unreachable!("was_complete means a defined record")
            };
            if !self.same_record_body(&old, &body) {
                let (name, at) = tag.expect("only tagged records can be complete already");
                return Err(self.error_at(at, &format!("redefinition of '{} {name}'", tag_kind.keyword())));
            }
        } else {
            self.table.complete_record(id, body);
            self.check_depth(id, body_at)?;
        }
        Ok(TagUse { id, tagged: tag.is_some(), has_body: true })
    }

    /// `{ members }`.
    fn record_body(&mut self, kind: RecordKind) -> PResult<Vec<Field>> {
        self.expect(Token::LBrace, "{")?;
        let mut fields = Vec::new();
        // Token of each member, for messages about it.
        let mut field_toks = Vec::new();
        while !self.eat(Token::RBrace) {
            match self.peek() {
                Token::Eof => return Err(self.error("'}' expected")),
                Token::Directive => return Err(self.error("preprocessor line inside a struct or union")),
                Token::Semi => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let start = self.pos;
            let specs = self.specifiers(SpecContext::Member)?;
            if specs.is_empty(self.pos) {
                return Err(self.error("member declaration expected"));
            }
            let base = self.base_type(&specs)?;
            if self.eat(Token::Semi) {
                let anonymous_record = matches!(specs.tag, Some(TagUse { tagged: false, has_body: true, .. }))
                    && matches!(self.table.get(self.table.unqualified(base).0), CType::Record(_));
                if !anonymous_record {
                    return Err(self.error_at(start, "declaration does not declare anything"));
                }
                fields.push(Field {
                    name: None,
                    ty: base,
                    bits: None,
                    align: specs.attrs.aligned,
                    packed: specs.attrs.packed,
                });
                field_toks.push(start);
                continue;
            }
            loop {
                let d =
                    if self.peek() == Token::Colon { Declarator::default() } else { self.declarator(DeclMode::Named)? };
                let at = d.name.as_ref().map_or(self.pos, |n| n.1);
                let bits_at = self.pos;
                let bits = if self.eat(Token::Colon) { Some(self.const_int()?) } else { None };
                let mut attrs = specs.attrs;
                attrs.merge(&d.attrs, self)?;
                self.attributes(&mut attrs)?;
                let ty = self.build_type(base, &d, attrs.conv)?;
                let name = d.name.map(|(n, _)| n);
                let bits = match bits {
                    Some(width) => Some(self.check_bitfield(ty, name.as_deref(), width, bits_at)?),
                    None => None,
                };
                fields.push(Field { name, ty, bits, align: attrs.aligned, packed: attrs.packed });
                field_toks.push(at);
                if !self.eat(Token::Comma) {
                    break;
                }
            }
            self.expect(Token::Semi, ";")?;
        }
        self.check_members(kind, &fields, &field_toks)?;
        Ok(fields)
    }

    /// Bit-field rules (C11 §6.7.2.1p4-5): an integer, `_Bool` or enum type; a width from 0 to
    /// the type's width (1 for `_Bool`); zero only without a name.
    fn check_bitfield(&self, ty: CTypeId, name: Option<&str>, width: i128, at: usize) -> PResult<u32> {
        let shown = name.unwrap_or("<anonymous>");
        let (unq, _) = self.table.unqualified(ty);
        let type_bits = match self.table.get(unq) {
            CType::Bool => 1,
            CType::Int(kind) => int_repr(*kind, self.table.target()).size as i128 * 8,
            CType::Enum(_) => self.layout_here(ty, at)?.size as i128 * 8,
            _ => return Err(self.error_at(at, &format!("bit-field '{shown}' has invalid type"))),
        };
        if width < 0 {
            return Err(self.error_at(at, &format!("negative width in bit-field '{shown}'")));
        }
        if width > type_bits {
            return Err(self.error_at(at, &format!("width of '{shown}' exceeds its type")));
        }
        if width == 0 && name.is_some() {
            return Err(self.error_at(at, &format!("zero width for bit-field '{shown}'")));
        }
        Ok(width as u32)
    }

    /// Complete member types, a variable-length member only at the end of a struct, no
    /// duplicate names (also through anonymous members).
    fn check_members(&self, kind: RecordKind, fields: &[Field], toks: &[usize]) -> PResult<()> {
        let target = self.table.target();
        for (i, (field, &at)) in fields.iter().zip(toks).enumerate() {
            let shown = field.name.as_deref().unwrap_or("<anonymous>");
            let (unq, _) = self.table.unqualified(field.ty);
            if matches!(self.table.get(unq), CType::Func(_)) {
                return Err(self.error_at(at, &format!("field '{shown}' declared as a function")));
            }
            match layout_of(self.table, field.ty, target) {
                Ok(l) if l.tail.is_some() => {
                    if kind == RecordKind::Union {
                        return Err(self.error_at(at, &format!("variable-length member '{shown}' in a union")));
                    }
                    if i + 1 != fields.len() {
                        return Err(
                            self.error_at(at, &format!("variable-length member '{shown}' not at end of struct"))
                        );
                    }
                }
                Ok(_) => {}
                Err(LayoutError::Incomplete { ty } | LayoutError::NoSize { ty }) => {
                    return Err(self.error_at(at, &format!("field '{shown}' has incomplete type '{ty}'")));
                }
                Err(e) => return Err(self.error_at(at, &e.to_string())),
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (field, &at) in fields.iter().zip(toks) {
            for name in self.member_names(field) {
                if !seen.insert(name.clone()) {
                    return Err(self.error_at(at, &format!("duplicate member '{name}'")));
                }
            }
        }
        Ok(())
    }

    /// The names a member brings into its record: its own, or for an anonymous struct or
    /// union member, those of its members.
    fn member_names(&self, field: &Field) -> Vec<Box<str>> {
        if let Some(name) = &field.name {
            return vec![name.clone()];
        }
        if field.bits.is_some() {
            return Vec::new();
        }
        match self.table.get(self.table.unqualified(field.ty).0) {
            CType::Record(Record { body: Some(body), .. }) => {
                body.fields.iter().flat_map(|f| self.member_names(f)).collect()
            }
            _ => Vec::new(),
        }
    }
}
