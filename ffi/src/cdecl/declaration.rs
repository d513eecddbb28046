//! File-scope declarations (C11 §6.7, §6.9): typedefs, functions, `extern` variables,
//! `static const` constants, tag declarations; and the rule for declaring a name again.

use super::declarator::DeclMode;
use super::parser::{PResult, Parser};
use super::specifiers::{SpecContext, Storage, TagUse};
use super::token::Token;
use crate::ctype::{CType, ConstValue, ConstantDecl, Decl, FunctionDecl, VariableDecl};

impl Parser<'_> {
    pub fn external_declaration(&mut self) -> PResult<()> {
        let start = self.pos;
        let specs = self.specifiers(SpecContext::Top)?;
        if specs.is_empty(self.pos) {
            return Err(self.error("declaration expected"));
        }
        if self.peek() == Token::Semi {
            // Reject `long char;` as such rather than as an empty declaration.
            self.base_type(&specs)?;
            self.bump();
            // `struct foo;`, `struct foo {...};`, `enum {A, B};` declare their tag or
            // constants; anything else declares nothing.
            let declares_tag =
                matches!(specs.tag, Some(TagUse { tagged: true, .. }) | Some(TagUse { has_body: true, .. }));
            if !declares_tag {
                return Err(self.error_at(start, "declaration does not declare anything"));
            }
            return Ok(());
        }
        let base = self.base_type(&specs)?;
        loop {
            let d = self.declarator(DeclMode::Named)?;
            let (name, name_at) = d.name.clone().expect("named mode always yields a name");
            let mut attrs = specs.attrs;
            attrs.merge(&d.attrs, self)?;
            self.attributes(&mut attrs)?;
            let asm_name = self.asm_label()?;
            self.attributes(&mut attrs)?;
            let ty = self.build_type(base, &d, attrs.conv)?;
            if self.peek() == Token::LBrace {
                return Err(self.error("function definitions are not supported"));
            }
            let (unq, quals) = self.table.unqualified(ty);
            let is_func = matches!(self.table.get(unq), CType::Func(_));
            let init_at = self.pos;
            let init = if self.eat(Token::Assign) { Some(self.const_expr()?) } else { None };
            let decl = match specs.storage {
                Some(Storage::Typedef) => {
                    if init.is_some() {
                        return Err(self.error_at(init_at, "typedef with an initializer"));
                    }
                    if attrs.aligned.is_some() || attrs.packed {
                        return Err(
                            self.error_at(name_at, "alignment or packing attributes on a typedef are not supported")
                        );
                    }
                    if asm_name.is_some() {
                        return Err(self.error_at(name_at, "asm label on a typedef"));
                    }
                    Decl::Typedef(ty)
                }
                _ if is_func => {
                    if init.is_some() {
                        return Err(self.error_at(init_at, "function with an initializer"));
                    }
                    let param_names = d.param_names().unwrap_or_else(|| {
                        let CType::Func(f) = self.table.get(unq) else { unreachable!("is_func") };
                        vec![None; f.params.len()]
                    });
                    Decl::Function(FunctionDecl { ty, param_names, asm_name })
                }
                _ => match init {
                    Some(value) => {
                        let value = self.constant_initializer(ty, quals.is_const, value, init_at, &name)?;
                        Decl::Constant(value)
                    }
                    None => {
                        if matches!(self.table.get(unq), CType::Void) {
                            return Err(self.error_at(name_at, &format!("variable '{name}' declared void")));
                        }
                        Decl::Variable(VariableDecl { ty, asm_name })
                    }
                },
            };
            self.declare_name(&name, decl, name_at)?;
            if !self.eat(Token::Comma) {
                break;
            }
        }
        self.expect(Token::Semi, ";")
    }

    /// `static const int N = 10;`: a named constant of an integer, enum or floating type.
    fn constant_initializer(
        &mut self,
        ty: crate::ctype::CTypeId,
        is_const: bool,
        value: super::consteval::CValue,
        at: usize,
        name: &str,
    ) -> PResult<ConstantDecl> {
        use super::consteval::CValue;
        let not_constant = || {
            self.error_at(
                at,
                &format!("only 'static const' integer or floating constants can have an initializer ('{name}')"),
            )
        };
        if !is_const {
            return Err(not_constant());
        }
        let (unq, _) = self.table.unqualified(ty);
        let target = self.table.target();
        let value = match (self.table.get(unq), value) {
            (CType::Bool, CValue::Int(v, _)) => ConstValue::Int((v != 0) as i128),
            (CType::Int(kind), CValue::Int(v, _)) => {
                let r = crate::ctype::int_repr(*kind, target);
                ConstValue::Int(super::consteval::IntTy { bits: r.size * 8, signed: r.signed }.wrap(v))
            }
            (CType::Enum(e), CValue::Int(v, _)) if e.body.is_some() => {
                let body = e.body.as_ref().expect("checked");
                let r = crate::ctype::int_repr(crate::ctype::enum_repr(body, target), target);
                ConstValue::Int(super::consteval::IntTy { bits: r.size * 8, signed: r.signed }.wrap(v))
            }
            (CType::Float(_), CValue::Int(v, _)) => ConstValue::Float(v as f64),
            (CType::Float(k), CValue::Float(v, _)) => {
                ConstValue::Float(if *k == crate::ctype::FloatKind::Float { v as f32 as f64 } else { v })
            }
            _ => return Err(not_constant()),
        };
        Ok(ConstantDecl { ty, value })
    }

    /// Binds `name`, or accepts a repeated identical declaration; a different one is an error.
    pub fn declare_name(&mut self, name: &str, decl: Decl, at: usize) -> PResult<()> {
        match self.table.lookup(name) {
            None => {
                self.table.define_name(name, decl);
                Ok(())
            }
            Some(old) if self.same_decl(old, &decl) => Ok(()),
            Some(old) if std::mem::discriminant(old) != std::mem::discriminant(&decl) => {
                Err(self.error_at(at, &format!("'{name}' redeclared as a different kind of symbol")))
            }
            Some(Decl::Constant(_)) => {
                Err(self.error_at(at, &format!("redefinition of '{name}' with a different value")))
            }
            Some(_) => Err(self.error_at(at, &format!("conflicting types for '{name}'"))),
        }
    }
}
