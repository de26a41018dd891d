package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.Health;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The gateway's health word and reasons, for the admin (the open probe is /q/health). */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "health", description = "Optimal, Degraded, Queueing, Failed or Starting, with one reason per map")
public class HealthResource {

    @Inject
    GatewayControl control;

    @GET
    @Operation(summary = "Gateway health", description = "ready once every configured map has a usable path; the word and one line per map that is not Optimal.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Health.class)))
    public Health health() {
        return control.health();
    }
}
