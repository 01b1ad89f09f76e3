package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code printf("%5.2f")} as glibc prints it. The expected strings are the output of this C
 * program (gcc, glibc, x86-64), not of Java:
 *
 * <pre>
 * double v[] = {0.125, 0.375, 1.005, 2.675, 99.995, 0.005, 0.015, -0.125, -0.001, -0.0, 100.0,
 *               12.345, 99.999, 1e-9, 1234.5678};
 * for (...) printf("|%5.2f|\n", v[i]);
 * float p[] = {0.00125f, 0.01005f, 0.99995f, 0.5f, 0.123456f, 0.0f, 1.0f, 0.99999f};
 * for (...) printf("|%5.2f%%|\n", p[i] * 100);   // darknet's prediction line
 * printf("|%5.2f|%5.2f|\n", 1.0/0.0, -1.0/0.0);
 * printf("|%5.2f|%5.2f|\n", NAN, -NAN);         // 0.0/0.0 on x86 is -NAN
 * </pre>
 *
 * C rounds the exact binary value: 0.125 and 0.375 are ties (to even: 0.12, 0.38), 1.005 is
 * really 1.00499999..., 0.005 is 0.00500000...01. Java's {@code String.format} gets several wrong.
 * The expected strings are quoted to keep their leading spaces.
 */
class CFormatTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.125|' 0.12'", "0.375|' 0.38'", "1.005|' 1.00'", "2.675|' 2.67'", "99.995|'100.00'",
        "0.005|' 0.01'", "0.015|' 0.01'", "-0.125|'-0.12'", "-0.001|'-0.00'", "-0.0|'-0.00'",
        "100.0|'100.00'", "12.345|'12.35'", "99.999|'100.00'", "1e-9|' 0.00'", "1234.5678|'1234.57'",
        "Infinity|'  inf'", "-Infinity|' -inf'"})
    void fixedMatchesGlibc(double value, String expected) {
        assertEquals(expected, CFormat.fixed(value, 5, 2));
    }

    /** The sign bit of a NaN, as glibc shows it; x86's 0/0 is the negative quiet NaN 0xffc00000. */
    @Test
    void nanKeepsItsSign() {
        assertEquals("  nan", CFormat.fixed(Double.NaN, 5, 2));
        assertEquals(" -nan", CFormat.fixed(Double.longBitsToDouble(0xfff8000000000000L), 5, 2));
        assertEquals(" -nan%: tabby", CFormat.percentLine(Float.intBitsToFloat(0xffc00000), "tabby"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.00125|' 0.12%'", "0.01005|' 1.00%'", "0.99995|'100.00%'", "0.5|'50.00%'", "0.123456|'12.35%'",
        "0.0|' 0.00%'", "1.0|'100.00%'", "0.99999|'100.00%'"})
    void predictionLinesMatchDarknets(float probability, String expected) {
        assertEquals(expected + ": tabby", CFormat.percentLine(probability, "tabby"));
    }
}
