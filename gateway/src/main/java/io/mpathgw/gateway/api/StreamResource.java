package io.mpathgw.gateway.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Server-sent events for the web page's live view; see {@link LiveStream}. */
@Path("/api/v1/stream")
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "events")
public class StreamResource {

    @Inject
    LiveStream stream;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live view", description = "text/event-stream: event `maps` (data: the array of maps) at once, on "
            + "change at most 4 times a second and at least every 2 s; event `event` (data: one event, id: its seq) per event; "
            + "a comment line every 5 s.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    public void stream(@Context SseEventSink sink, @Context Sse sse) {
        stream.add(sink, sse);
    }
}
