package io.mpathgw.gateway.api;

import io.mpathgw.gateway.api.ApiExceptionMappers.BadRequest;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.SessionView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** iSCSI sessions: {@code iscsiadm -m session} and "retry login now". */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "sessions", description = "The gateway's iSCSI sessions")
public class SessionResource {

    /** host:port, the host a name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern PORTAL = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

    @Inject
    GatewayControl control;
    @Inject
    Actions actions;

    @GET
    @Operation(summary = "Every session", description = "iscsiadm -m session: portal, target, ISID, TSIH, state, last error.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SessionView.class, type = SchemaType.ARRAY)))
    public List<SessionView> sessions() {
        return control.sessions();
    }

    @POST
    @Path("relogin")
    @Operation(summary = "Retry login now", description = "Every session to the portal (or every session) tries to log in now instead of at its next back-off.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "400", description = "bad portal", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "no session to that portal", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> relogin(
            @QueryParam("portal") @Parameter(description = "address:port; absent: every session", example = "127.0.0.1:3260") String portal) {
        if (portal != null) {
            var m = PORTAL.matcher(portal);
            if (!m.matches() || Integer.parseInt(m.group(2)) > 65535)
                throw new BadRequest("portal: '" + portal + "' (expected: address:port, e.g. 127.0.0.1:3260)");
        }
        return actions.run(portal == null ? "relogin" : "relogin " + portal, () -> control.retryLogin(portal));
    }
}
