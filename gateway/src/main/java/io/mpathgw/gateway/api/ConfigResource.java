package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.GatewayControl;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.concurrent.CompletionStage;

/** multipathd's {@code show config} and {@code reconfigure}. */
@Path("/api/v1/config")
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "config", description = "The effective configuration and its reload")
public class ConfigResource {

    @Inject
    GatewayControl control;
    @Inject
    Actions actions;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "multipathd show config", description = "The effective multipath configuration, then the gateway's own.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    public String show() {
        return control.showConfig();
    }

    @POST
    @Path("reload")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "multipathd reconfigure", description = "Reads the configuration files again; a bad file answers 400 "
            + "naming file, line and key, and the running configuration stays.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "400", description = "bad configuration file", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> reload() {
        return actions.run("reconfigure", control::reconfigure);
    }
}
