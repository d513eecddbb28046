//! Constant expressions (C11 §6.6), evaluated while they are parsed: integer arithmetic in the
//! types C gives it on the table's target (promotions, usual arithmetic conversions, wrapping
//! of unsigned and of out-of-range conversions), floating arithmetic for `#define`s, string
//! literals, `sizeof`, `_Alignof`, casts, `?:`, and the names of constants declared earlier.

use super::keywords::Kw;
use super::literal::{self, Number, Prefix};
use super::parser::{PResult, Parser};
use super::token::Token;
use super::TypeParam;
use crate::ctype::{enum_repr, int_repr, layout_of, CType, CTypeId, ConstValue, Decl, IntKind, Layout};

/// An integer type as constant expressions see it: width and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct IntTy {
    pub bits: u32,
    pub signed: bool,
}

impl IntTy {
    pub const INT: IntTy = IntTy { bits: 32, signed: true };

    fn promoted(self) -> IntTy {
        if self.bits < 32 {
            IntTy::INT
        } else {
            self
        }
    }

    /// `value` converted to this type (modulo 2^bits, as C converts to unsigned types and as
    /// GCC converts to signed ones).
    pub fn wrap(self, value: i128) -> i128 {
        let modulus = 1i128 << self.bits;
        let v = value.rem_euclid(modulus);
        if self.signed && v >= modulus / 2 {
            v - modulus
        } else {
            v
        }
    }

    fn contains(self, value: i128) -> bool {
        self.wrap(value) == value
    }
}

/// The value of a constant expression.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum CValue {
    Int(i128, IntTy),
    Float(f64, bool),
    Str(Vec<u8>),
}

impl CValue {
    fn int(value: bool) -> CValue {
        CValue::Int(value as i128, IntTy::INT)
    }

    /// The value as a named constant: its bytes or number, and the C type to record.
    pub fn into_const(self, parser: &mut Parser) -> (CTypeId, ConstValue) {
        match self {
            CValue::Int(v, ty) => {
                let kind = match (ty.bits, ty.signed) {
                    (32, true) => IntKind::Int,
                    (32, false) => IntKind::UInt,
                    (_, true) => IntKind::LongLong,
                    (_, false) => IntKind::ULongLong,
                };
                (parser.table.int(kind), ConstValue::Int(v))
            }
            CValue::Float(v, single) => {
                let kind = if single { crate::ctype::FloatKind::Float } else { crate::ctype::FloatKind::Double };
                (parser.table.float(kind), ConstValue::Float(v))
            }
            CValue::Str(bytes) => {
                let ch = parser.table.int(IntKind::Char);
                let cch = parser.table.qualified(ch, crate::ctype::Quals::CONST);
                let ty = parser.table.array_of(cch, crate::ctype::ArrayLen::Fixed(bytes.len() as u64 + 1));
                (ty, ConstValue::Str(bytes))
            }
        }
    }
}

/// Binary operators by precedence (C11 §6.5.5-6.5.14), loosest first.
const PRECEDENCE: &[&[Token]] = &[
    &[Token::OrOr],
    &[Token::AndAnd],
    &[Token::Pipe],
    &[Token::Caret],
    &[Token::Amp],
    &[Token::EqEq, Token::Ne],
    &[Token::Lt, Token::Gt, Token::Le, Token::Ge],
    &[Token::Shl, Token::Shr],
    &[Token::Plus, Token::Minus],
    &[Token::Star, Token::Slash, Token::Percent],
];

impl Parser<'_> {
    /// An integer constant expression (array sizes, bit-field widths, enumerators, alignments).
    pub fn const_int(&mut self) -> PResult<i128> {
        let at = self.pos;
        match self.const_expr()? {
            CValue::Int(v, _) => Ok(v),
            _ => Err(self.error_at(at, "integer constant expression expected")),
        }
    }

    /// A conditional expression.
    pub fn const_expr(&mut self) -> PResult<CValue> {
        self.nested(|p| p.conditional())
    }

    fn conditional(&mut self) -> PResult<CValue> {
        let cond_at = self.pos;
        let cond = self.binary(0)?;
        if !self.eat(Token::Question) {
            return Ok(cond);
        }
        let truth = self.truth(&cond, cond_at)?;
        let (a, b);
        self.unevaluated += !truth as u32;
        let a_at = self.pos;
        a = self.const_expr();
        self.unevaluated -= !truth as u32;
        let a = a?;
        self.expect(Token::Colon, ":")?;
        self.unevaluated += truth as u32;
        b = self.const_expr();
        self.unevaluated -= truth as u32;
        let b = b?;
        match (a, b) {
            (CValue::Int(x, tx), CValue::Int(y, ty)) => {
                let t = common(tx, ty);
                Ok(if truth { CValue::Int(t.wrap(x), t) } else { CValue::Int(t.wrap(y), t) })
            }
            (a, b) => {
                let (Some(x), Some(y)) = (as_float(&a), as_float(&b)) else {
                    return Err(self.error_at(a_at, "invalid operands to '?:'"));
                };
                let single = matches!((&a, &b), (CValue::Float(_, true), CValue::Float(_, true)));
                Ok(CValue::Float(if truth { x } else { y }, single))
            }
        }
    }

    fn truth(&self, v: &CValue, at: usize) -> PResult<bool> {
        match v {
            CValue::Int(x, _) => Ok(*x != 0),
            CValue::Float(x, _) => Ok(*x != 0.0),
            CValue::Str(_) => Err(self.error_at(at, "a string is not a condition")),
        }
    }

    fn binary(&mut self, level: usize) -> PResult<CValue> {
        if level == PRECEDENCE.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        loop {
            let op = self.peek();
            if !PRECEDENCE[level].contains(&op) {
                return Ok(left);
            }
            let op_at = self.pos;
            self.bump();
            // `&&` and `||` do not evaluate their right operand when the left decides.
            let skip_right = match op {
                Token::AndAnd => !self.truth(&left, op_at)?,
                Token::OrOr => self.truth(&left, op_at)?,
                _ => false,
            };
            self.unevaluated += skip_right as u32;
            let right = self.binary(level + 1);
            self.unevaluated -= skip_right as u32;
            left = self.apply(op, op_at, left, right?)?;
        }
    }

    fn apply(&self, op: Token, at: usize, left: CValue, right: CValue) -> PResult<CValue> {
        let op_text = self.text_at(at);
        let invalid = || self.error_at(at, &format!("invalid operands to binary '{op_text}'"));
        if let (Token::AndAnd | Token::OrOr, Some(a), Some(b)) = (op, truthy(&left), truthy(&right)) {
            return Ok(CValue::int(if op == Token::AndAnd { a && b } else { a || b }));
        }
        match (&left, &right) {
            (CValue::Int(a, ta), CValue::Int(b, tb)) => {
                let (a, b) = (*a, *b);
                if matches!(op, Token::Shl | Token::Shr) {
                    let t = ta.promoted();
                    if b < 0 || b >= t.bits as i128 {
                        if self.unevaluated > 0 {
                            return Ok(CValue::Int(0, t));
                        }
                        return Err(self.error_at(at, "shift count out of range"));
                    }
                    let v = if op == Token::Shl { a << b } else { a >> b };
                    return Ok(CValue::Int(t.wrap(v), t));
                }
                let t = common(*ta, *tb);
                let (a, b) = (t.wrap(a), t.wrap(b));
                let v = match op {
                    Token::Star => a * b,
                    Token::Slash | Token::Percent => {
                        if b == 0 {
                            if self.unevaluated > 0 {
                                return Ok(CValue::Int(0, t));
                            }
                            return Err(self.error_at(at, "division by zero"));
                        }
                        if op == Token::Slash {
                            a / b
                        } else {
                            a % b
                        }
                    }
                    Token::Plus => a + b,
                    Token::Minus => a - b,
                    Token::Amp => a & b,
                    Token::Pipe => a | b,
                    Token::Caret => a ^ b,
                    _ => match compare(op, a, b) {
                        Some(c) => return Ok(CValue::int(c)),
                        None => unreachable!("every binary operator is in the table"),
                    },
                };
                Ok(CValue::Int(t.wrap(v), t))
            }
            _ => {
                let (Some(a), Some(b)) = (as_float(&left), as_float(&right)) else { return Err(invalid()) };
                let single = matches!((&left, &right), (CValue::Float(_, true), CValue::Float(_, true)));
                let v = match op {
                    Token::Star => a * b,
                    Token::Slash => a / b,
                    Token::Plus => a + b,
                    Token::Minus => a - b,
                    _ => match compare(op, a, b) {
                        Some(c) => return Ok(CValue::int(c)),
                        None => return Err(invalid()),
                    },
                };
                Ok(CValue::Float(if single { v as f32 as f64 } else { v }, single))
            }
        }
    }

    fn unary(&mut self) -> PResult<CValue> {
        self.nested(|p| p.unary_inner())
    }

    fn unary_inner(&mut self) -> PResult<CValue> {
        let at = self.pos;
        match self.peek() {
            Token::Plus | Token::Minus | Token::Tilde | Token::Bang => {
                let op = self.peek();
                self.bump();
                let v = self.unary()?;
                let op_text = self.text_at(at);
                match (op, v) {
                    (Token::Bang, v) => Ok(CValue::int(!self.truth(&v, at)?)),
                    (Token::Plus, CValue::Int(x, t)) => Ok(CValue::Int(x, t.promoted())),
                    (Token::Minus, CValue::Int(x, t)) => Ok(CValue::Int(t.promoted().wrap(-x), t.promoted())),
                    (Token::Tilde, CValue::Int(x, t)) => Ok(CValue::Int(t.promoted().wrap(!x), t.promoted())),
                    (Token::Plus, CValue::Float(x, s)) => Ok(CValue::Float(x, s)),
                    (Token::Minus, CValue::Float(x, s)) => Ok(CValue::Float(-x, s)),
                    _ => Err(self.error_at(at, &format!("invalid operand to unary '{op_text}'"))),
                }
            }
            Token::LParen if self.type_follows_paren() => {
                self.bump();
                let ty_at = self.pos;
                let ty = self.type_name()?;
                self.expect(Token::RParen, ")")?;
                let v = self.unary()?;
                self.cast(ty, ty_at, v, at)
            }
            _ => match self.kw() {
                Some(Kw::Sizeof) => {
                    self.bump();
                    let size = if self.type_follows_paren() {
                        self.bump();
                        let ty_at = self.pos;
                        let ty = self.type_name()?;
                        self.expect(Token::RParen, ")")?;
                        self.layout_here(ty, ty_at)?.size as i128
                    } else {
                        match self.unary()? {
                            CValue::Int(_, t) => (t.bits / 8) as i128,
                            CValue::Float(_, single) => 4 << (!single as u8),
                            CValue::Str(s) => s.len() as i128 + 1,
                        }
                    };
                    Ok(self.size_t(size))
                }
                Some(Kw::Alignof) => {
                    self.bump();
                    self.expect(Token::LParen, "(")?;
                    let ty_at = self.pos;
                    let ty = self.type_name()?;
                    self.expect(Token::RParen, ")")?;
                    let align = self.layout_here(ty, ty_at)?.align as i128;
                    Ok(self.size_t(align))
                }
                _ => self.primary(),
            },
        }
    }

    /// At `(`: does a type name follow (a cast, or `sizeof(type)`)?
    fn type_follows_paren(&self) -> bool {
        if self.peek() != Token::LParen {
            return false;
        }
        match self.kw_at(1) {
            Some(kw) => kw.starts_specifiers(),
            None => {
                self.typedef_at(1).is_some()
                    || (self.peek_at(1) == Token::Dollar && matches!(self.peek_param(), Some(TypeParam::Type(_))))
            }
        }
    }

    fn size_t(&self, value: i128) -> CValue {
        let bits = self.table.target().pointer_size() * 8;
        CValue::Int(value, IntTy { bits, signed: false })
    }

    /// The layout of `ty` on the table's target, as a cdef error at token `at`.
    pub fn layout_here(&self, ty: CTypeId, at: usize) -> PResult<Layout> {
        layout_of(self.table, ty, self.table.target()).map_err(|e| self.error_at(at, &e.to_string()))
    }

    fn cast(&mut self, ty: CTypeId, ty_at: usize, v: CValue, at: usize) -> PResult<CValue> {
        let target = self.table.target();
        let (unq, _) = self.table.unqualified(ty);
        let int_ty = match self.table.get(unq) {
            CType::Bool => {
                let t = self.truth(&v, at)?;
                return Ok(CValue::Int(t as i128, IntTy { bits: 8, signed: false }));
            }
            CType::Int(kind) => int_repr(*kind, target),
            CType::Enum(e) => match &e.body {
                Some(body) => int_repr(enum_repr(body, target), target),
                None => return Err(self.error_at(ty_at, "cast to an incomplete enum")),
            },
            CType::Float(kind) => {
                let single = *kind == crate::ctype::FloatKind::Float;
                let Some(x) = as_float(&v) else { return Err(self.error_at(at, "invalid cast of a string")) };
                return Ok(CValue::Float(if single { x as f32 as f64 } else { x }, single));
            }
            _ => {
                let what = self.table.render(ty);
                return Err(self.error_at(ty_at, &format!("cast to '{what}' is not a constant expression")));
            }
        };
        let t = IntTy { bits: int_ty.size * 8, signed: int_ty.signed };
        match v {
            CValue::Int(x, _) => Ok(CValue::Int(t.wrap(x), t)),
            CValue::Float(x, _) => {
                let truncated = x.trunc();
                if !truncated.is_finite() || !t.contains(truncated as i128) {
                    return Err(self.error_at(at, "floating constant out of range of the integer type"));
                }
                Ok(CValue::Int(truncated as i128, t))
            }
            CValue::Str(_) => Err(self.error_at(at, "invalid cast of a string")),
        }
    }

    fn primary(&mut self) -> PResult<CValue> {
        let at = self.pos;
        match self.peek() {
            Token::Number => {
                let number = literal::number(self.text()).map_err(|m| self.error(m))?;
                self.bump();
                Ok(match number {
                    Number::Int { value, unsigned, longs, decimal } => {
                        let t = self
                            .literal_type(value, unsigned, longs, decimal)
                            .ok_or_else(|| self.error_at(at, "integer constant is too large for its type"))?;
                        CValue::Int(value as i128, t)
                    }
                    Number::Float { value, single } => CValue::Float(value, single),
                })
            }
            Token::CharLit => {
                let (prefix, unit) = literal::character(self.text()).map_err(|m| self.error(m))?;
                self.bump();
                let target = self.table.target();
                Ok(match prefix {
                    // A plain character constant has type int and the value of a `char`.
                    Prefix::None | Prefix::Utf8 => {
                        let v = if target.char_is_signed() { unit as u8 as i8 as i128 } else { unit as u8 as i128 };
                        CValue::Int(v, IntTy::INT)
                    }
                    Prefix::Wide => {
                        let r = int_repr(IntKind::WChar, target);
                        let t = IntTy { bits: r.size * 8, signed: r.signed };
                        CValue::Int(t.wrap(unit as i128), t)
                    }
                    Prefix::Utf16 => CValue::Int(unit as u16 as i128, IntTy { bits: 16, signed: false }),
                    Prefix::Utf32 => CValue::Int(unit as i128, IntTy { bits: 32, signed: false }),
                })
            }
            Token::StringLit => Ok(CValue::Str(self.string_literal()?)),
            Token::LParen => {
                self.bump();
                let v = self.const_expr()?;
                self.expect(Token::RParen, ")")?;
                Ok(v)
            }
            Token::Dollar => match self.take_param()? {
                TypeParam::Int(n) => {
                    self.bump();
                    let t = if IntTy::INT.contains(n as i128) { IntTy::INT } else { IntTy { bits: 64, signed: true } };
                    Ok(CValue::Int(n as i128, t))
                }
                _ => Err(self.error_at(at, "'$' here needs a number parameter")),
            },
            Token::Ident if self.kw().is_none() => {
                let name = self.text();
                self.bump();
                match self.table.lookup(name) {
                    Some(Decl::Constant(c)) => {
                        let c = c.clone();
                        Ok(match c.value {
                            ConstValue::Int(v) => {
                                let (unq, _) = self.table.unqualified(c.ty);
                                let t = match self.table.get(unq) {
                                    CType::Int(kind) => {
                                        let r = int_repr(*kind, self.table.target());
                                        IntTy { bits: r.size * 8, signed: r.signed }
                                    }
                                    CType::Bool => IntTy { bits: 8, signed: false },
                                    _ => IntTy { bits: 64, signed: v < 0 },
                                };
                                CValue::Int(v, t)
                            }
                            ConstValue::Float(v) => CValue::Float(v, false),
                            ConstValue::Str(s) => CValue::Str(s),
                        })
                    }
                    Some(other) => {
                        let kind = other.kind_name();
                        Err(self.error_at(at, &format!("'{name}' is a {kind}, not a constant")))
                    }
                    None => Err(self.error_at(at, &format!("undeclared identifier '{name}'"))),
                }
            }
            _ => Err(self.error("constant expression expected")),
        }
    }

    /// Adjacent string literals, concatenated.
    pub fn string_literal(&mut self) -> PResult<Vec<u8>> {
        let mut bytes = Vec::new();
        while self.peek() == Token::StringLit {
            bytes.extend(literal::string(self.text()).map_err(|m| self.error(m))?);
            self.bump();
        }
        Ok(bytes)
    }

    /// The type of an integer literal (C11 §6.4.4.1p5): the first of its candidate types that
    /// holds the value.
    fn literal_type(&self, value: u64, unsigned: bool, longs: u8, decimal: bool) -> Option<IntTy> {
        let long_bits = self.table.target().long_size() * 8;
        let int = IntTy { bits: 32, signed: true };
        let uint = IntTy { bits: 32, signed: false };
        let long = IntTy { bits: long_bits, signed: true };
        let ulong = IntTy { bits: long_bits, signed: false };
        let llong = IntTy { bits: 64, signed: true };
        let ullong = IntTy { bits: 64, signed: false };
        let candidates: &[IntTy] = match (unsigned, longs, decimal) {
            (false, 0, true) => &[int, long, llong],
            (false, 0, false) => &[int, uint, long, ulong, llong, ullong],
            (true, 0, _) => &[uint, ulong, ullong],
            (false, 1, true) => &[long, llong],
            (false, 1, false) => &[long, ulong, llong, ullong],
            (true, 1, _) => &[ulong, ullong],
            (false, _, true) => &[llong],
            (false, _, false) => &[llong, ullong],
            (true, _, _) => &[ullong],
        };
        candidates.iter().copied().find(|t| t.contains(value as i128))
    }
}

/// The usual arithmetic conversions between two integer types (C11 §6.3.1.8).
fn common(a: IntTy, b: IntTy) -> IntTy {
    let (a, b) = (a.promoted(), b.promoted());
    if a == b {
        return a;
    }
    if a.signed == b.signed {
        return if a.bits >= b.bits { a } else { b };
    }
    let (u, s) = if a.signed { (b, a) } else { (a, b) };
    if u.bits >= s.bits {
        u
    } else {
        s
    }
}

fn as_float(v: &CValue) -> Option<f64> {
    match v {
        CValue::Int(x, _) => Some(*x as f64),
        CValue::Float(x, _) => Some(*x),
        CValue::Str(_) => None,
    }
}

fn truthy(v: &CValue) -> Option<bool> {
    match v {
        CValue::Int(x, _) => Some(*x != 0),
        CValue::Float(x, _) => Some(*x != 0.0),
        CValue::Str(_) => None,
    }
}

/// A comparison operator applied to two numbers of one type; `None` for other operators.
fn compare<T: PartialOrd>(op: Token, a: T, b: T) -> Option<bool> {
    Some(match op {
        Token::EqEq => a == b,
        Token::Ne => a != b,
        Token::Lt => a < b,
        Token::Gt => a > b,
        Token::Le => a <= b,
        Token::Ge => a >= b,
        _ => return None,
    })
}
