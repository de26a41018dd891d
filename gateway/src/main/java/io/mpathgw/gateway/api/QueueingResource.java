package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.GatewayControl;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.concurrent.CompletionStage;

/** multipathd's {@code disablequeueing maps} / {@code restorequeueing maps}: every map at once. */
@Path("/api/v1/queueing")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "maps")
public class QueueingResource {

    @Inject
    GatewayControl control;
    @Inject
    Actions actions;

    @POST
    @Path("disable")
    @Operation(summary = "multipathd disablequeueing maps", description = "Every map stops queueing; queued I/O fails now.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    public CompletionStage<ActionResult> disable() {
        return actions.run("disablequeueing maps", () -> control.disableQueueing(null));
    }

    @POST
    @Path("restore")
    @Operation(summary = "multipathd restorequeueing maps", description = "Every map queues again as its no_path_retry says.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    public CompletionStage<ActionResult> restore() {
        return actions.run("restorequeueing maps", () -> control.restoreQueueing(null));
    }
}
