//! Enum specifiers (C11 §6.7.2.2): enumerators with constant-expression values, registered as
//! constants as soon as they are read (a later enumerator may use an earlier one).

use super::attributes::Attrs;
use super::consteval::IntTy;
use super::parser::{PResult, Parser};
use super::record::{TagHead, TagKind};
use super::specifiers::TagUse;
use super::token::Token;
use crate::ctype::{CType, ConstValue, ConstantDecl, Decl, EnumBody, IntKind};

impl Parser<'_> {
    pub fn enum_specifier(&mut self) -> PResult<TagUse> {
        let mut attrs = Attrs::default();
        let tag = match self.tag_head(TagKind::Enum, &mut attrs)? {
            TagHead::Reference(used) => return Ok(used),
            TagHead::Body(tag) => tag,
        };
        let (id, was_complete) = self.tag_for_definition(TagKind::Enum, tag.as_ref())?;
        self.bump();
        if self.peek() == Token::RBrace {
            return Err(self.error("empty enum"));
        }
        let mut constants = Vec::new();
        let mut next: i128 = 0;
        while !self.eat(Token::RBrace) {
            let at = self.pos;
            let name = self.ident()?;
            let value = if self.eat(Token::Assign) { self.const_int()? } else { next };
            if value < i64::MIN as i128 || value > u64::MAX as i128 {
                return Err(self.error_at(at, &format!("enumerator value for '{name}' is out of range")));
            }
            let kind = [
                (IntTy { bits: 32, signed: true }, IntKind::Int),
                (IntTy { bits: 32, signed: false }, IntKind::UInt),
                (IntTy { bits: 64, signed: true }, IntKind::LongLong),
            ]
            .into_iter()
            .find(|(t, _)| t.wrap(value) == value)
            .map_or(IntKind::ULongLong, |(_, k)| k);
            let ty = self.table.int(kind);
            self.declare_name(name, Decl::Constant(ConstantDecl { ty, value: ConstValue::Int(value) }), at)?;
            constants.push((name.into(), value));
            next = value + 1;
            if !self.eat(Token::Comma) {
                self.expect(Token::RBrace, "}")?;
                break;
            }
        }
        self.attributes(&mut attrs)?;
        if attrs.conv.is_some() || attrs.aligned.is_some() {
            return Err(self.error("unsupported attribute on an enum"));
        }
        let body = EnumBody { constants, packed: attrs.packed };
        if was_complete {
            let CType::Enum(old) = self.table.get(id) else { unreachable!("tag kind checked") };
            if old.body.as_ref() != Some(&body) {
                let (name, at) = tag.expect("only tagged enums can be complete already");
                return Err(self.error_at(at, &format!("redefinition of 'enum {name}'")));
            }
        } else {
            self.table.complete_enum(id, body);
        }
        Ok(TagUse { id, tagged: tag.is_some(), has_body: true })
    }
}
