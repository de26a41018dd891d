package io.mpathgw.gateway.api;

import io.mpathgw.gateway.api.ApiExceptionMappers.BadRequest;

/** Parameters parsed here rather than by JAX-RS, which answers a bad number with a bare 404. */
final class Params {

    private Params() {
    }

    static int group(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest("group: '" + value + "' (expected: a priority group number, 1 for the first)");
    }

    static long longParam(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isEmpty()) return fallback;
        try {
            long v = Long.parseLong(value);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest(name + ": '" + value + "' (expected: " + min + ".." + max + ")");
    }
}
