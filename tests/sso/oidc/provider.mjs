// A real OpenID Connect provider for Lotse's SSO tests (panva/oidc-provider, OpenID-certified), like a
// municipality's Keycloak. Usage: node provider.mjs PORT REDIRECT_URI. Built-in login pages: any password;
// the login name picks one of the accounts below.
import Provider from "oidc-provider";

const [port, redirect] = process.argv.slice(2);
const accounts = {
  cdo: { email: "Carla.Dorn@astadt.example", given_name: "Carla", family_name: "Dorn", groups: ["lotse-cdo", "lotse-alle"] },
  staff: { email: "sam.staff@astadt.example", given_name: "Sam", family_name: "Staff", groups: ["lotse-alle"] },
  nobody: { email: "no.body@astadt.example", given_name: "No", family_name: "Body", groups: [] },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: "lotse",
    client_secret: "lotse-test-secret",
    redirect_uris: [redirect],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["given_name", "family_name"],
    groups: ["groups"],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ["lotse-test-cookie-key"] },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, email_verified: true, ...account }; } };
  },
});
provider.listen(Number(port), "127.0.0.1", () => console.log(`ready ${port}`));
