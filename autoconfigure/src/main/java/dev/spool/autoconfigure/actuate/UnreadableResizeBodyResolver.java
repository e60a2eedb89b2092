package dev.spool.autoconfigure.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a {@code POST /actuator/executors/{name}} whose body Spring MVC cannot read ({@code {{{}, {@code [1,2]},
 * {@code {"maxWorkers":[4]}}) with the same 400 {@link ExecutorsEndpointWebExtension.ErrorDescriptor} body as every
 * other refused write, saying why. Boot's actuator reads the body as a map of strings before the write operation is
 * called, so such a body never reaches {@link ExecutorsEndpointWebExtension}: without this resolver it gets Boot's bare
 * 400, with no reason. Every other request, and every other exception, is left to Spring MVC.
 *
 * <p>It runs before Spring MVC's own resolvers. The reason is written without a JSON library, so this class needs
 * only Spring MVC and the servlet API.
 */
final class UnreadableResizeBodyResolver implements HandlerExceptionResolver, Ordered {

    static final String EXAMPLE = "{\"maxWorkers\": 8, \"queueCapacity\": 500}";

    /** A key in Jackson's reference chain, {@code java.util.LinkedHashMap["maxWorkers"]}. */
    private static final Pattern KEY = Pattern.compile("\\[\"([^\"]*)\"]");

    private final String writePattern;

    /** @param executorsPath the {@code executors} endpoint's path, {@code /actuator/executors} by default */
    UnreadableResizeBodyResolver(String executorsPath) {
        this.writePattern = executorsPath + "/{name}";
    }

    @Override
    public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
                                                   @Nullable Object handler, Exception ex) {
        if (!(ex instanceof HttpMessageNotReadableException unreadable) || !"POST".equals(request.getMethod())
                || !this.writePattern.equals(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))) {
            return null;
        }
        try {
            byte[] body = json(reason(unreadable)).getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException ioe) {
            return null; // the client has gone; let Spring MVC's resolvers deal with the original exception
        }
        return new ModelAndView();
    }

    /** @return why the body cannot be read, and what to send instead */
    static String reason(HttpMessageNotReadableException ex) {
        String detail = detail(ex);
        String expected = "send one JSON object of whole numbers, for instance " + EXAMPLE;
        if (detail == null) {
            return "the body could not be read; " + expected;
        }
        if (isSyntaxError(ex)) {
            return "the body is not valid JSON (" + detail + "); " + expected;
        }
        Matcher key = KEY.matcher(fullMessage(ex));
        if (key.find()) {
            return key.group(1) + " must be a whole number, not an array or an object (" + detail + "); " + expected;
        }
        return "the body is not a JSON object of names and values (" + detail + "); " + expected;
    }

    /** @return whether the JSON parser itself failed (Jackson 2 and 3 name these exceptions alike) */
    private static boolean isSyntaxError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("StreamReadException") || name.equals("JsonParseException")
                    || name.equals("JsonEOFException") || name.equals("UnexpectedEndOfInputException")) {
                return true;
            }
        }
        return false;
    }

    /** @return the first line of the innermost message, without the parser's source excerpt; null if none */
    private static @Nullable String detail(Throwable ex) {
        String message = null;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return null;
        }
        String line = message.lines().findFirst().orElse("").strip();
        int source = line.indexOf(" at [Source");
        return source > 0 ? line.substring(0, source).strip() : line;
    }

    private static String fullMessage(Throwable ex) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    /** @return the body of an {@link ExecutorsEndpointWebExtension.ErrorDescriptor} for a 400 */
    private static String json(String message) {
        StringBuilder text = new StringBuilder("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"");
        for (char c : message.toCharArray()) {
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        return text.append("\"}").toString();
    }

    /** Before Spring MVC's resolvers (order 0), whose {@code DefaultHandlerExceptionResolver} sends the bare 400. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }
}
