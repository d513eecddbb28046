//! The `rivet` library: what rivet adds to Lua's standard libraries (for now `rivet.inspect`,
//! the pretty-printer the REPL also uses for tables).

pub mod inspect;

use rivet_lang::{Lua, Value};

/// Opens the `rivet` table into the globals.
pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(t, &[("inspect", "rivet.inspect", inspect::inspect)]);
    let g = lua.globals();
    lua.set_field(g, "rivet", Value::Table(t));
}
