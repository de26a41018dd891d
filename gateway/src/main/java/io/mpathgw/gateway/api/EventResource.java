package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.GatewayControl;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
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

/** The bounded event timeline. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "events", description = "Path, group, queueing and configuration events with time and cause")
public class EventResource {

    static final int MAX_LIMIT = 10_000, DEFAULT_LIMIT = 100;

    @Inject
    GatewayControl control;

    @GET
    @Operation(summary = "Events after a sequence number", description = "Oldest first; poll with after = the last seq seen.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EventView.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "bad after or limit", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<EventView> events(
            @QueryParam("after") @Parameter(description = "only events with a larger seq; default 0") String after,
            @QueryParam("limit") @Parameter(description = "at most this many, 1..10000; default 100") String limit) {
        long afterSeq = Params.longParam("after", after, 0, 0, Long.MAX_VALUE);
        int max = (int) Params.longParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        return control.events(afterSeq, max);
    }
}
