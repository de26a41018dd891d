package io.mpathgw.gateway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an action, sent once the map thread applied it. */
@Schema(name = "ActionResult", description = "The action was applied by the map's thread.")
public record ActionResult(@Schema(example = "ok") String result) {

    static final ActionResult OK = new ActionResult("ok");
}
