package org.livingwell.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.livingwell.gateway.GatewayProperties.Client;
import org.livingwell.gateway.security.PartnerClients;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Partner clients: list, register or replace, remove. Secrets are taken in clear once and kept hashed. */
@RestController
@RequestMapping(path = "/admin/clients", produces = MediaType.APPLICATION_JSON_VALUE)
public class ClientAdminController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PartnerClients clients;
    private final PasswordEncoder passwords;

    public ClientAdminController(PartnerClients clients, PasswordEncoder passwords) {
        this.clients = clients;
        this.passwords = passwords;
    }

    /** What a client registration says, without its secret. */
    public record Registered(String id, String organisation, List<String> scopes, List<String> practices,
            List<String> authentication, String jwksUrl) {
        static Registered of(Client client) {
            List<String> methods = new ArrayList<>();
            if (client.secretHash() != null) {
                methods.add("client_secret_basic");
            }
            if (client.jwks() != null || client.jwksUrl() != null) {
                methods.add("private_key_jwt");
            }
            return new Registered(client.id(), client.organisation(), client.scopes(), client.practices(), methods,
                    client.jwksUrl());
        }
    }

    /** A registration as sent: {@code secret} in clear (hashed here) and/or public keys. */
    public record Registration(String organisation, List<String> scopes, List<String> practices, String secret,
            Map<String, Object> jwks, String jwksUrl) {}

    @GetMapping
    public List<Registered> list() {
        return clients.all().stream().map(Registered::of).toList();
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Registered register(@PathVariable String id, @RequestBody Registration registration) {
        Client client = new Client(id, registration.organisation(), registration.scopes(),
                registration.practices() == null ? List.of() : registration.practices(),
                registration.secret() == null ? null : passwords.encode(registration.secret()),
                registration.jwks() == null ? null : JSON.valueToTree(registration.jwks()).toString(),
                registration.jwksUrl());
        clients.register(client);
        return Registered.of(client);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> remove(@PathVariable String id) {
        return clients.remove(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> refused(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", e.getMessage()));
    }
}
