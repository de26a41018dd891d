package io.mpathgw.gateway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every error the API answers: one line that says what was wrong (400, 404, 409, 503). */
@Schema(name = "Error", description = "A refused request; `error` names what was wrong in one line.")
public record ApiError(@Schema(example = "no map named 'mpathz'") String error) {
}
