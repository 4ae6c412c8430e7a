package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TOML subset manifests are written in: what it reads, with lines, and what it refuses. */
class TomlTest {
    private static Toml.Table parsed(String text) {
        Toml.Result r = Toml.parse(text);
        assertEquals(List.of(), r.errors(), text);
        return r.root();
    }

    private static Object at(Toml.Table table, String... path) {
        Object v = table;
        for (String key : path) {
            v = ((Toml.Table) v).entries.get(key).value();
        }
        return v;
    }

    @Test
    void readsTheSubsetWithTheLineOfEveryValue() {
        Toml.Table t = parsed("""
                a = "tab\\there \\u00e9 \\"q\\""  # comment
                'lit\\eral' = 'C:\\path'
                "quoted key" = -1_000
                f = 6.5e-1
                b = true
                list = [
                  1,   # first
                  2,
                ]
                inline = { x = 1,
                           y.z = "deep", }
                dotted.key = 3
                [t.sub]
                k = []
                [[arr]]
                n = 1
                [[arr]]
                n = 2
                """);
        assertEquals("tab\there é \"q\"", at(t, "a"));
        assertEquals("C:\\path", at(t, "lit\\eral"));
        assertEquals(-1000L, at(t, "quoted key"));
        assertEquals(0.65, at(t, "f"));
        assertEquals(true, at(t, "b"));
        @SuppressWarnings("unchecked")
        List<Toml.Value> list = (List<Toml.Value>) at(t, "list");
        assertEquals(List.of(new Toml.Value(1L, 7), new Toml.Value(2L, 8)), list);
        assertEquals("deep", at(t, "inline", "y", "z"));
        assertEquals(3L, at(t, "dotted", "key"));
        assertEquals(14, ((Toml.Table) at(t, "t", "sub")).entries.get("k").line());
        assertEquals(13, ((Toml.Table) at(t, "t", "sub")).line);
        @SuppressWarnings("unchecked")
        List<Toml.Value> arr = (List<Toml.Value>) at(t, "arr");
        assertEquals(List.of(15, 17), arr.stream().map(Toml.Value::line).toList());
        assertEquals(2L, ((Toml.Table) arr.get(1).value()).entries.get("n").value());
    }

    @Test
    void aTableIsDefinedOnceAsTomlRequires() {
        assertErrors("a = 1\na = 2\n", "2: 'a' is already defined on line 1");
        assertErrors("[t]\n[t]\n", "2: [t] is already defined on line 1");
        assertErrors("t.x = 1\n[t]\n", "2: [t] is already defined on line 1");
        assertErrors("t = { x = 1 }\n[t.y]\n", "2: 't' is already defined on line 1 as a table");
        assertErrors("t = [1]\n[[t]]\n", "2: [[t]] cannot add to 't', defined on line 1 as an array");
        assertErrors("[t]\nx = 1\n[t.x]\n", "3: [t.x] is already defined on line 2");
        assertTrue(Toml.parse("[a.b]\n[a]\nx = 1\n").errors().isEmpty(), "a parent named by a header may be opened later");
    }

    @Test
    void whatManifestsNeverUseIsRefusedByName() {
        assertErrors("s = \"\"\"long\"\"\"\n", "1: multi-line strings are not used in manifests");
        assertErrors("d = 1979-05-27\n", "1: dates and times are not used in manifests; found 1979-05-27");
        assertErrors("h = 0xff\n", "1: hexadecimal, octal and binary numbers are not used in manifests: write '0xff' in decimal");
        assertErrors("n = nan\n", "1: infinity and NaN are not used in manifests");
        assertErrors("n = 99999999999999999999\n", "1: 99999999999999999999 does not fit a 64-bit integer");
        assertErrors("n = 012\n", "1: expected a value (a \"string\", a number, true, false, [an array] or {an inline "
                + "table}), found 012");
        assertErrors("s = \"\\q\"\n", "1: unknown escape \\q in a string");
        assertErrors("i = { a = 1 b = 2 }\n", "1: expected ',' or '}' in an inline table, found 'b = 2 }'");
        assertErrors("i = { a = 1,\n b = 2\nc = 3\n", "1: the inline table is not closed: expected ',' or '}' before "
                + "'c = 3' on line 3");
        assertErrors("a = \n", "1: expected a value, found the end of the line");
    }

    @Test
    void afterAnErrorReadingGoesOnAtTheNextStatement() {
        Toml.Result r = Toml.parse("a = [1, 2\nb = 1\nc = = 2\nd = 4\n[broken\ne = 5\n");
        assertEquals(List.of("1: the array is not closed: expected ',' or ']' before 'b = 1' on line 2",
                "3: expected a value, found '= 2'",
                "5: expected ']' to close the table header"), r.errors());
        assertEquals(1L, at(r.root(), "b"));
        assertEquals(4L, at(r.root(), "d"));
        assertEquals(null, r.root().entries.get("e"), "keys after a broken header belong to no table of the document");
    }

    private static void assertErrors(String text, String... errors) {
        assertEquals(List.of(errors), Toml.parse(text).errors(), text);
    }
}
