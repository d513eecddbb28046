//! `tostring` of cdata, as LuaJIT prints them: `ctype<int *>`, `cdata<int *>: 0x...` (or
//! `NULL`), `cdata<struct foo &>: 0x...` for references, `5LL`/`5ULL` for boxed 64-bit
//! integers, `1+2i` for complex numbers; a metatype's `__tostring` comes first.
#![forbid(unsafe_code)]

use rivet_lang::{Lua, LuaResult};

use super::cdata::{num_to_f64, Form, Num};
use super::convert::{object_loc, Ctx};
use super::metatype::{field, metatype_for};
use super::state::cdata_of;
use super::typeinfo::{Scalar, Shape};

pub(crate) fn cdata_tostring(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let v = ctx.lua.arg(1);
    let Some((ud, cd)) = cdata_of(&v) else { return Err(ctx.lua.type_error(1, "cdata")) };
    if cd.form != Form::CType {
        if let Some(mt) = metatype_for(&ctx.st, &ctx.roots, cd) {
            let f = field(ctx.lua, mt, "__tostring");
            if !f.is_nil() {
                let r = ctx.lua.call_meta1(f, &[v])?;
                ctx.lua.push(r);
                return Ok(1);
            }
        }
    }
    let text = match cd.form {
        Form::CType => format!("ctype<{}>", ctx.st.render(cd.ty)),
        Form::Ref => format!("cdata<{}>: {}", ctx.cdata_type_name(cd), address(cd.addr())),
        Form::Value => {
            let info = ctx.st.info(cd.ty);
            let place = object_loc(ud, cd).place;
            match info.shape {
                Shape::Scalar(s @ (Scalar::I64 | Scalar::U64)) => {
                    match place.load(s).map_err(|e| ctx.access_error(e))? {
                        Num::I(i) => format!("{i}LL"),
                        Num::U(u) => format!("{u}ULL"),
                        Num::F(_) => unreachable!("integer loads give integers"),
                    }
                }
                Shape::Complex(s) => {
                    let re = num_to_f64(place.load(s).map_err(|e| ctx.access_error(e))?);
                    let im = num_to_f64(place.offset(s.size() as i64).load(s).map_err(|e| ctx.access_error(e))?);
                    complex_text(re, im)
                }
                Shape::Pointer { .. } | Shape::Func => {
                    let addr = place.load_addr().map_err(|e| ctx.access_error(e))?;
                    format!("cdata<{}>: {}", ctx.st.render(cd.ty), address(addr))
                }
                _ => format!("cdata<{}>: {}", ctx.st.render(cd.ty), address(cd.addr())),
            }
        }
    };
    let s = ctx.lua.str_value(&text);
    ctx.lua.push(s);
    Ok(1)
}

/// An address as LuaJIT prints it (`%p`, at least 8 hex digits), NULL by name.
fn address(addr: usize) -> String {
    if addr == 0 {
        "NULL".to_string()
    } else {
        format!("{addr:#010x}")
    }
}

/// `re±imi` with 14 significant digits (LuaJIT's `%.14g`); LuaJIT ends an infinite or NaN
/// imaginary part with `I` (`0+infI`), so that it still reads as one word.
fn complex_text(re: f64, im: f64) -> String {
    let sign = if im.is_sign_negative() && !im.is_nan() { "" } else { "+" };
    let unit = if im.is_finite() { "i" } else { "I" };
    format!("{}{sign}{}{unit}", g14(re), g14(im))
}

/// C's `%.14g`.
fn g14(x: f64) -> String {
    rivet_lang::number::format_float(x, b'g', Some(14), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complex_numbers_print_as_luajit() {
        assert_eq!(complex_text(1.0, -2.0), "1-2i");
        assert_eq!(complex_text(0.1, 1e20), "0.1+1e+20i");
        assert_eq!(complex_text(1.5, 0.0), "1.5+0i");
        assert_eq!(complex_text(0.0, f64::INFINITY), "0+infI");
        assert_eq!(complex_text(f64::INFINITY, f64::NEG_INFINITY), "inf-infI");
        assert_eq!(complex_text(0.0, f64::NAN), "0+nanI");
        assert_eq!(complex_text(0.0, -0.0), "0-0i");
    }

    #[test]
    fn addresses() {
        assert_eq!(address(0), "NULL");
        assert_eq!(address(0x1000), "0x00001000");
        assert_eq!(address(0x7fe49d74f2a8), "0x7fe49d74f2a8");
    }
}
