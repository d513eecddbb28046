/* A hand-written Lua 5.4 C API binding of the benchmark functions: what a Lua 5.4 user
 * writes without an FFI. Loaded by `require "luabind"`. */
#include <lua.h>
#include <lauxlib.h>
#include <stdint.h>

typedef struct { double x, y, z; int64_t tag; } vec4;
int add(int, int);
double fadd(double, double);
int64_t sum6(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
vec4 vscale(vec4, double);

static int l_add(lua_State *L) {
    lua_pushinteger(L, add((int)luaL_checkinteger(L, 1), (int)luaL_checkinteger(L, 2)));
    return 1;
}
static int l_fadd(lua_State *L) {
    lua_pushnumber(L, fadd(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
    return 1;
}
static int l_sum6(lua_State *L) {
    int64_t a[6];
    for (int i = 0; i < 6; i++) a[i] = luaL_checkinteger(L, i + 1);
    lua_pushinteger(L, sum6(a[0], a[1], a[2], a[3], a[4], a[5]));
    return 1;
}
/* A struct by value: a full userdata in, a new one out (as a binding must do). */
static int l_vscale(lua_State *L) {
    vec4 *v = luaL_checkudata(L, 1, "vec4");
    vec4 *r = lua_newuserdatauv(L, sizeof(vec4), 0);
    *r = vscale(*v, luaL_checknumber(L, 2));
    luaL_setmetatable(L, "vec4");
    return 1;
}
static int l_vnew(lua_State *L) {
    vec4 *r = lua_newuserdatauv(L, sizeof(vec4), 0);
    r->x = luaL_checknumber(L, 1); r->y = luaL_checknumber(L, 2); r->z = luaL_checknumber(L, 3); r->tag = 0;
    luaL_setmetatable(L, "vec4");
    return 1;
}
static int l_vtag(lua_State *L) {
    lua_pushinteger(L, ((vec4 *)luaL_checkudata(L, 1, "vec4"))->tag);
    return 1;
}
int luaopen_luabind(lua_State *L) {
    luaL_newmetatable(L, "vec4");
    lua_pop(L, 1);
    luaL_Reg fns[] = {{"add", l_add}, {"fadd", l_fadd}, {"sum6", l_sum6}, {"vscale", l_vscale},
                      {"vnew", l_vnew}, {"vtag", l_vtag}, {NULL, NULL}};
    luaL_newlib(L, fns);
    return 1;
}
