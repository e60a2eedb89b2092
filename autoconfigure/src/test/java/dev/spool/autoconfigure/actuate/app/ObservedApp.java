package dev.spool.autoconfigure.actuate.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that uses Spool only through the starter's auto-configuration and {@code observed-app.yml}: what
 * the observability tests scrape and call over HTTP.
 */
@SpringBootApplication
public class ObservedApp {
}
