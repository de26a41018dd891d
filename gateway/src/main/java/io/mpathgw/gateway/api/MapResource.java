package io.mpathgw.gateway.api;

import io.mpathgw.gateway.api.ApiExceptionMappers.BadRequest;
import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.MapView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Maps: multipathd's {@code show maps}, dmsetup's table/status/message, and the per-map actions. */
@Path("/api/v1/maps")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminUserConfigSource.ROLE)
@Tag(name = "maps", description = "Multipath maps (one per LUN/WWID), their priority groups and actions")
public class MapResource {

    @Inject
    GatewayControl control;
    @Inject
    Actions actions;

    @GET
    @Operation(summary = "Every map", description = "multipathd show maps / multipath -ll: each map with its groups, paths and counters.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MapView.class, type = SchemaType.ARRAY)))
    public List<MapView> maps() {
        return control.maps();
    }

    @GET
    @Path("{map}")
    @Operation(summary = "One map", description = "The map named {map} (alias or WWID).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MapView.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public MapView map(@PathParam("map") @Parameter(description = "map name (alias or WWID)") String map) {
        return find(map);
    }

    @GET
    @Path("{map}/table")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "dmsetup table MAP", description = "The map's table line, verbatim as dmsetup table prints it.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public String table(@PathParam("map") String map) {
        return find(map).table();
    }

    @GET
    @Path("{map}/status")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "dmsetup status MAP", description = "The map's status line, verbatim as dmsetup status prints it.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public String status(@PathParam("map") String map) {
        return find(map).status();
    }

    @POST
    @Path("{map}/message")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "dmsetup message MAP SECTOR MESSAGE", description = "Sends a message to the map's multipath target "
            + "(fail_path, reinstate_path, switch_group, disable_group, enable_group, queue_if_no_path, fail_if_no_path); "
            + "a refused message answers 400 with the kernel's error.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = MessageRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MessageOutput.class)))
    @APIResponse(responseCode = "400", description = "bad body or refused message", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<MessageOutput> message(@PathParam("map") String map, MessageRequest body) {
        if (body == null)
            throw new BadRequest("request body: missing (expected: {\"sector\":0,\"message\":\"fail_path 8:16\"})");
        if (body.message() == null || body.message().isBlank())
            throw new BadRequest("message: missing (expected: a multipath target message such as \"fail_path 8:16\")");
        long sector = body.sector() == null ? 0 : body.sector();
        if (sector < 0) throw new BadRequest("sector: " + sector + " (expected: >= 0)");
        String name = find(map).name();
        return actions.bounded("message " + name, () -> control.message(name, sector, body.message()))
                .thenApply(MessageOutput::new);
    }

    @POST
    @Path("{map}/groups/{n}/switch")
    @Operation(summary = "multipathd switchgroup map MAP group N", description = "Makes group N the next group to use (switch_group N).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "400", description = "bad group number", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> switchGroup(@PathParam("map") String map,
                                                     @PathParam("n") @Parameter(description = "priority group number, 1-based") String n) {
        int group = Params.group(n);
        String name = find(map).name();
        return actions.run("switch group " + group + " of " + name, () -> control.switchGroup(name, group));
    }

    @POST
    @Path("{map}/groups/{n}/enable")
    @Operation(summary = "enable_group N", description = "Clears the group's bypassed flag.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "400", description = "bad group number", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> enableGroup(@PathParam("map") String map, @PathParam("n") String n) {
        int group = Params.group(n);
        String name = find(map).name();
        return actions.run("enable group " + group + " of " + name, () -> control.enableGroup(name, group));
    }

    @POST
    @Path("{map}/groups/{n}/disable")
    @Operation(summary = "disable_group N", description = "Marks the group bypassed: tried only after every other group.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "400", description = "bad group number", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> disableGroup(@PathParam("map") String map, @PathParam("n") String n) {
        int group = Params.group(n);
        String name = find(map).name();
        return actions.run("disable group " + group + " of " + name, () -> control.disableGroup(name, group));
    }

    @POST
    @Path("{map}/queueing/disable")
    @Operation(summary = "multipathd disablequeueing map MAP", description = "Stops queueing when no path is left; queued I/O fails now.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> disableQueueing(@PathParam("map") String map) {
        String name = find(map).name();
        return actions.run("disablequeueing " + name, () -> control.disableQueueing(name));
    }

    @POST
    @Path("{map}/queueing/restore")
    @Operation(summary = "multipathd restorequeueing map MAP", description = "Queues again as no_path_retry says.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ActionResult.class)))
    @APIResponse(responseCode = "404", description = "no such map", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<ActionResult> restoreQueueing(@PathParam("map") String map) {
        String name = find(map).name();
        return actions.run("restorequeueing " + name, () -> control.restoreQueueing(name));
    }

    /** By name, else by WWID (multipathd accepts both); actions then address the map by its name. */
    private MapView find(String map) {
        return control.map(map).or(() -> control.maps().stream().filter(m -> m.wwid().equals(map)).findFirst())
                .orElseThrow(() -> ControlException.notFound("no map named '" + map + "'"));
    }
}
