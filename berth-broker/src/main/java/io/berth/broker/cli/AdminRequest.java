package io.berth.broker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code berth admin} subcommand: sends its request and prints the answer (a table, or the JSON as it
 * is with {@code --json}) or the failure. Exit code 0 on success, 1 when the broker refused the request,
 * 2 when it could not be reached or the options are wrong.
 */
abstract class AdminRequest implements Callable<Integer> {
    @Mixin
    AdminTarget target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            JsonNode answer = send(target.client());
            if (target.json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                print(answer, out);
            }
            out.flush();
            return 0;
        } catch (AdminClient.Failure e) {
            err.println("berth admin: " + e.getMessage());
            err.flush();
            return e.status == 0 ? 2 : 1;
        } catch (IllegalArgumentException e) {
            err.println("berth admin: " + e.getMessage());
            err.flush();
            return 2;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    abstract JsonNode send(AdminClient client);

    abstract void print(JsonNode answer, PrintWriter out);

    /** The text of {@code field}, or "-" when it is absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "-" : v.asText();
    }
}
