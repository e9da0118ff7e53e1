package org.livingwell.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.GatewayProperties.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The registered partner clients, in table {@code lw_partner_client} of the record's database: those configured
 * ({@code gateway.security.clients}, the bootstrap client) are written at start-up, the admin API adds and removes
 * others. Secrets are kept only as hashes. The token endpoint reads clients from here.
 */
@Component
public class PartnerClients implements RegisteredClientRepository {

    /** Client settings carrying what RegisteredClient has no field for. */
    static final String JWKS_SETTING = "lw.jwks";
    static final String ORGANISATION_SETTING = "lw.organisation";
    static final String PRACTICES_SETTING = "lw.practices";

    private static final Logger log = LoggerFactory.getLogger(PartnerClients.class);
    private static final Duration MAX_TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS lw_partner_client (
                client_id VARCHAR(255) PRIMARY KEY,
                organisation VARCHAR(32),
                scopes VARCHAR(10000) NOT NULL,
                practices VARCHAR(10000) NOT NULL,
                secret_hash VARCHAR(255),
                jwks VARCHAR(100000),
                jwks_url VARCHAR(2000),
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""";

    private final JdbcTemplate jdbc;
    private final Duration tokenLifetime;

    public PartnerClients(DataSource dataSource, GatewayProperties gateway, PasswordEncoder passwords) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(SCHEMA);
        GatewayProperties.Security security = gateway.security();
        if (security.tokenLifetime().compareTo(MAX_TOKEN_LIFETIME) > 0 || security.tokenLifetime().isNegative()) {
            throw new IllegalArgumentException("gateway.security.token-lifetime must be between 0 and 5 minutes, not "
                    + security.tokenLifetime());
        }
        this.tokenLifetime = security.tokenLifetime();
        security.clients().forEach(this::register);
        if (StringUtils.hasText(security.bootstrapClientId())) {
            if (!StringUtils.hasText(security.bootstrapClientSecret())) {
                throw new IllegalArgumentException("gateway.security.bootstrap-client-id is set without a bootstrap-client-secret");
            }
            register(new Client(security.bootstrapClientId(), null, GatewayScopes.ALL, List.of("*"),
                    passwords.encode(security.bootstrapClientSecret()), null, null));
            log.info("Bootstrap client '{}' registered with every scope (client_secret_basic)", security.bootstrapClientId());
        }
    }

    /** Adds or replaces a client. Checks what a token request would otherwise fail on later. */
    public void register(Client client) {
        if (!StringUtils.hasText(client.id()) || client.scopes() == null || client.scopes().isEmpty()) {
            throw new IllegalArgumentException("A client needs an id and at least one scope");
        }
        boolean secret = StringUtils.hasText(client.secretHash());
        boolean keys = StringUtils.hasText(client.jwks()) || StringUtils.hasText(client.jwksUrl());
        if (!secret && !keys) {
            throw new IllegalArgumentException("Client " + client.id() + " needs a secret (client_secret_basic) or public keys"
                    + " (jwks or jwks-url, private_key_jwt)");
        }
        if (secret && (!client.secretHash().startsWith("{") || client.secretHash().startsWith("{noop}"))) {
            throw new IllegalArgumentException("Client " + client.id() + ": secret-hash must be a hash such as"
                    + " {bcrypt}$2a$10$..., never the secret itself");
        }
        if (StringUtils.hasText(client.jwks())) {
            publicKeys(client.jwks());
        }
        toRegisteredClient(client); // refuses a malformed scope
        jdbc.update("DELETE FROM lw_partner_client WHERE client_id = ?", client.id());
        jdbc.update("INSERT INTO lw_partner_client (client_id, organisation, scopes, practices, secret_hash, jwks, jwks_url,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", client.id(), client.organisation(),
                String.join(" ", client.scopes()), String.join(" ", client.practices() == null ? List.of() : client.practices()),
                client.secretHash(), client.jwks(), client.jwksUrl(), OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
    }

    public boolean remove(String clientId) {
        return jdbc.update("DELETE FROM lw_partner_client WHERE client_id = ?", clientId) > 0;
    }

    public List<Client> all() {
        return jdbc.query("SELECT * FROM lw_partner_client ORDER BY client_id", PartnerClients::client);
    }

    private static Client client(ResultSet row, int rowNumber) throws SQLException {
        return new Client(row.getString("client_id"), row.getString("organisation"), words(row.getString("scopes")),
                words(row.getString("practices")), row.getString("secret_hash"), row.getString("jwks"), row.getString("jwks_url"));
    }

    private static List<String> words(String spaced) {
        return spaced == null || spaced.isBlank() ? List.of() : Arrays.asList(spaced.trim().split(" +"));
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return jdbc.query("SELECT * FROM lw_partner_client WHERE client_id = ?", PartnerClients::client, clientId).stream()
                .findFirst().map(this::toRegisteredClient).orElse(null);
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id); // the client id is the registration's id
    }

    /** Clients are registered through configuration and the admin API, never by the authorization server itself. */
    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("Register partner clients through gateway.security.clients or /admin/clients");
    }

    private RegisteredClient toRegisteredClient(Client client) {
        ClientSettings.Builder settings = ClientSettings.builder()
                .setting(ORGANISATION_SETTING, client.organisation() == null ? "" : client.organisation())
                .setting(PRACTICES_SETTING, client.practices() == null ? List.of() : List.copyOf(client.practices()));
        if (StringUtils.hasText(client.jwks())) {
            settings.setting(JWKS_SETTING, client.jwks());
        }
        if (StringUtils.hasText(client.jwksUrl())) {
            settings.jwkSetUrl(client.jwksUrl());
        }
        return RegisteredClient.withId(client.id())
                .clientId(client.id())
                .clientSecret(client.secretHash())
                .clientAuthenticationMethods(methods -> {
                    if (StringUtils.hasText(client.secretHash())) {
                        methods.add(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
                    }
                    if (StringUtils.hasText(client.jwks()) || StringUtils.hasText(client.jwksUrl())) {
                        methods.add(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
                    }
                })
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(client.scopes()))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(tokenLifetime)
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED).build())
                .build();
    }

    /** A static JWK Set of public keys; private keys are refused (a partner must never hand its private key over). */
    static JWKSet publicKeys(String jwks) {
        try {
            JWKSet set = JWKSet.parse(jwks);
            if (set.getKeys().isEmpty() || set.getKeys().stream().anyMatch(key -> key.isPrivate())) {
                throw new IllegalArgumentException("jwks must hold one or more public keys and no private key");
            }
            return set;
        } catch (ParseException e) {
            throw new IllegalArgumentException("jwks is not a JWK Set: " + e.getMessage(), e);
        }
    }
}
