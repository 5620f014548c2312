// Novu's TypeScript SDK (@novu/api, pinned in package-lock.json) against a FakeNovu server: one
// scenario across every resource group (create, read back, change, list, delete, then 404; triggers to
// subscribers and topics and the feed they produce). Every call's answer goes through the SDK's own
// zod parsing; the expected errors must arrive as the SDK's typed errors.
//
// usage: node ts_sdk_scenario.mjs <FakeNovu URL>; the secret key comes from NOVU_SECRET_KEY.
// Prints one JSON line: {"calls": n, "groups": [...], "failures": [...], "refused": [...]}.
// fetch is wrapped first: a request to any host but 127.0.0.1 is refused (and reported).

const [serverURL] = process.argv.slice(2);
const refused = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") {
    refused.push(url.href);
    return Promise.reject(new Error(`refused: ${url.href} is not on 127.0.0.1`));
  }
  return realFetch(input, init);
};

const { Novu } = await import("@novu/api");
const errors = await import("@novu/api/models/errors/index.js");

const novu = new Novu({
  secretKey: process.env.NOVU_SECRET_KEY,
  serverURL,
  retryConfig: { strategy: "none" },
});

let calls = 0;
const failures = [];
const groups = new Set();
let group = "";

async function call(what, run) {
  calls += 1;
  try {
    const answer = await run();
    return answer === undefined ? undefined : answer.result ?? answer;
  } catch (error) {
    const cause = error instanceof errors.ResponseValidationError ? ` (${error.cause?.message})` : "";
    failures.push(`${group}: ${what}: ${error?.constructor?.name}: ${error?.message}${cause}`.slice(0, 700));
    return undefined;
  }
}

// the call must fail with the SDK's typed error class for that status: ErrorDto (or
// ValidationErrorDto) where the document declares the error's body, the generic SDKError (with the
// status) where it declares the status without a body
async function refusedWith(what, status, run, type = errors.ErrorDto) {
  calls += 1;
  try {
    await run();
    failures.push(`${group}: ${what}: succeeded, expected ${status}`);
  } catch (error) {
    if (!(error instanceof type) || error.statusCode !== status) {
      failures.push(
        `${group}: ${what}: expected ${type.name} ${status}, got ${error?.constructor?.name} ` +
          `${error?.statusCode}: ${error?.message}`.slice(0, 400),
      );
    }
  }
}

function check(what, condition) {
  if (!condition) failures.push(`${group}: ${what}`);
}

function section(name) {
  group = name;
  groups.add(name);
}

// --- Subscribers
section("Subscribers");
await call("create", () => novu.subscribers.create({ subscriberId: "ada", email: "ada@example.com" }));
await call("create bob", () => novu.subscribers.create({ subscriberId: "bob", firstName: "Bob" }));
let ada = await call("retrieve", () => novu.subscribers.retrieve("ada"));
check("retrieve reads back the email", ada?.email === "ada@example.com");
ada = await call("patch", () => novu.subscribers.patch({ firstName: "Ada" }, "ada"));
check("patch changes the name", ada?.firstName === "Ada");
const found = await call("search", () => novu.subscribers.search({ limit: 10 }));
check("search lists both", found?.data?.length === 2);
await call("credentials", () =>
  novu.subscribers.credentials.update(
    { providerId: "slack", credentials: { webhookUrl: "https://hooks.example.com/1" } },
    "ada",
  ),
);
await call("preferences", () => novu.subscribers.preferences.list({ subscriberId: "ada" }));
await call("create carl", () => novu.subscribers.create({ subscriberId: "carl" }));
await call("delete", () => novu.subscribers.delete("carl"));
await refusedWith("retrieve deleted", 404, () => novu.subscribers.retrieve("carl"));
await refusedWith("create with an empty id", 422, () => novu.subscribers.create({ subscriberId: "" }),
  errors.ValidationErrorDto);

// --- Workflows
section("Workflows");
const workflow = {
  name: "Welcome",
  workflowId: "welcome",
  steps: [{ name: "Inbox", type: "in_app", controlValues: { body: "Hello {{subscriber.firstName}}" } }],
};
await call("create", () => novu.workflows.create(workflow));
await refusedWith("create again", 409, () => novu.workflows.create(workflow));
const got = await call("get", () => novu.workflows.get("welcome"));
check("get reads back the name", got?.name === "Welcome");
const patched = await call("patch", () => novu.workflows.patch({ active: true, description: "says hello" }, "welcome"));
check("patch activates it", patched?.active === true);
const listed = await call("list", () => novu.workflows.list({ limit: 10 }));
check("list has it", listed?.workflows?.some((w) => w.workflowId === "welcome"));
await call("create scratch", () =>
  novu.workflows.create({ ...workflow, name: "Scratch", workflowId: "scratch" }),
);
await call("delete", () => novu.workflows.delete("scratch"));
await refusedWith("get deleted", 404, () => novu.workflows.get("scratch"));

// --- Topics, Events, Notifications, Messages, the feed
section("Topics");
await call("create", () => novu.topics.create({ key: "readers", name: "Readers" }));
await call("subscribe", () =>
  novu.topics.subscriptions.create({ subscriptions: ["ada", "bob"] }, "readers"),
);
const topic = await call("get", () => novu.topics.get("readers"));
check("get reads back the name", topic?.name === "Readers");
await call("update", () => novu.topics.update({ name: "All readers" }, "readers"));
const topics = await call("list", () => novu.topics.list({ limit: 10 }));
check("list has it", topics?.data?.[0]?.name === "All readers");
const subs = await call("subscriptions", () => novu.topics.subscriptions.list({ topicKey: "readers" }));
check("both are subscribed", subs?.data?.length === 2);

section("Events");
const single = await call("trigger to a subscriber", () =>
  novu.trigger({ workflowId: "welcome", to: "ada", payload: { n: 1 } }),
);
check("trigger acknowledged", single?.acknowledged === true);
await call("trigger to a topic", () =>
  novu.trigger({ workflowId: "welcome", to: [{ type: "Topic", topicKey: "readers" }] }),
);
await call("broadcast", () => novu.triggerBroadcast({ name: "welcome", payload: {} }));
await call("bulk", () =>
  novu.triggerBulk({ events: [{ workflowId: "welcome", to: "bob" }, { workflowId: "welcome", to: "ada" }] }),
);
await call("cancel", () => novu.cancel(single?.transactionId ?? "none"));
await refusedWith("trigger an unknown workflow", 422, () =>
  novu.trigger({ workflowId: "welcome", to: [] }),
  errors.ValidationErrorDto,
);

section("Notifications");
const feed = await call("subscriber feed", () => novu.subscribers.notifications.list({ subscriberId: "ada" }));
check(`ada's feed has the four in-app notifications: ${JSON.stringify(feed).slice(0, 300)}`, feed?.data?.length === 4);
check("the feed renders the name", feed?.data?.[0]?.body === "Hello Ada");
const count = await call("count", () =>
  novu.subscribers.notifications.count("ada", JSON.stringify([{ read: false }])),
);
check(`four unread: ${JSON.stringify(count)}`, count?.[0]?.count === 4);
const bobs = await call("v1 feed", () => novu.subscribers.notifications.feed({ subscriberId: "bob" }));
check("bob's v1 feed has three", bobs?.data?.length === 3);
const events = await call("list", () => novu.notifications.list({ limit: 50 }));
check("notifications listed", (events?.data?.length ?? 0) >= 7);
const first = events?.data?.[0]?.id;
await call("retrieve", () => novu.notifications.retrieve(first ?? "none"));
await refusedWith("retrieve unknown", 404, () => novu.notifications.retrieve("000000000000000000000000"));

section("Messages");
const messages = await call("list", () => novu.messages.retrieve({ subscriberId: "bob", limit: 10 }));
check("bob has three messages", messages?.data?.length === 3);
await call("delete", () => novu.messages.delete(messages?.data?.[0]?.id ?? "none"));
await refusedWith("delete again", 404, () => novu.messages.delete(messages?.data?.[0]?.id ?? "none"));

section("Activity");
const development = (await call("environments", () => novu.environments.list()))?.find((e) => e.name === "Development");
const tracked = await call("track", () =>
  novu.activity.track({ environmentId: development?.id ?? "none", integrationId: "novu-email", requestBody: {} }),
);
check("track answers a list", Array.isArray(tracked));

section("Topics");
await call("unsubscribe", () => novu.topics.subscriptions.delete({ subscriptions: [{ subscriberId: "bob" }] }, "readers"));
await call("delete", () => novu.topics.delete("readers"));
await refusedWith("get deleted", 404, () => novu.topics.get("readers"));

// --- Layouts
section("Layouts");
await call("create", () => novu.layouts.create({ layoutId: "brand", name: "Brand" }));
const layout = await call("retrieve", () => novu.layouts.retrieve("brand"));
check("retrieve reads back the name", layout?.name === "Brand");
await call("update", () => novu.layouts.update({ name: "Brand 2" }, "brand"));
const layouts = await call("list", () => novu.layouts.list({ limit: 10 }));
check("list has it", layouts?.layouts?.some((l) => l.name === "Brand 2"));
await call("duplicate", () => novu.layouts.duplicate({ name: "Copy" }, "brand"));
const copies = await call("list again", () => novu.layouts.list({ limit: 10 }));
const copy = copies?.layouts?.find((l) => l.name === "Copy");
await call("delete", () => novu.layouts.delete(copy?.layoutId ?? "none"));
await refusedWith("retrieve deleted", 404, () => novu.layouts.retrieve(copy?.layoutId ?? "none"));

// --- Translations
section("Translations");
const translation = { resourceId: "welcome", resourceType: "workflow", locale: "en_US", content: { hi: "Hello" } };
await call("create", () => novu.translations.create(translation));
const read = await call("retrieve", () =>
  novu.translations.retrieve({ resourceType: "workflow", resourceId: "welcome", locale: "en_US" }),
);
check("retrieve reads back the content", read?.content?.hi === "Hello");
await call("change", () => novu.translations.create({ ...translation, content: { hi: "Hi" } }));
await call("group", () => novu.translations.groups.retrieve("workflow", "welcome"));
await call("delete", () =>
  novu.translations.delete({ resourceType: "workflow", resourceId: "welcome", locale: "en_US" }),
);
await refusedWith("retrieve deleted", 404, () =>
  novu.translations.retrieve({ resourceType: "workflow", resourceId: "welcome", locale: "en_US" }),
  errors.SDKError,
);

// --- Integrations
section("Integrations");
const made = await call("create", () =>
  novu.integrations.create({ providerId: "slack", channel: "chat", identifier: "slack-prod", active: true }),
);
await call("update", () => novu.integrations.update({ name: "Slack" }, made?.id ?? "none"));
const integrations = await call("list", () => novu.integrations.list());
check("list has it", integrations?.some((i) => i.name === "Slack"));
await call("active", () => novu.integrations.listActive());
const mail = await call("create mail", () =>
  novu.integrations.create({ providerId: "sendgrid", channel: "email", credentials: { apiKey: "k" } }),
);
await call("delete", () => novu.integrations.delete(mail?.id ?? "none"));
await refusedWith("update deleted", 404, () => novu.integrations.update({ name: "x" }, mail?.id ?? "none"),
  errors.SDKError);

// --- Environments and their variables
section("Environments");
const environments = await call("list", () => novu.environments.list());
check("Development and Production", environments?.length === 2);
const staging = await call("create", () => novu.environments.create({ name: "Staging", color: "#ff0000" }));
await call("update", () => novu.environments.update({ name: "QA" }, staging?.id ?? "none"));
await call("tags", () => novu.environments.getTags(staging?.id ?? "none"));
await call("delete", () => novu.environments.delete(staging?.id ?? "none"));
await refusedWith("update deleted", 404, () => novu.environments.update({ name: "x" }, staging?.id ?? "none"));

section("Environment Variables");
await call("create", () => novu.environmentVariables.create({ key: "BASE_URL" }));
await call("retrieve", () => novu.environmentVariables.retrieve("BASE_URL"));
await call("update", () => novu.environmentVariables.update({ key: "HOME_URL" }, "BASE_URL"));
const variables = await call("list", () => novu.environmentVariables.list());
check("list has the new key", variables?.some((v) => v.key === "HOME_URL"));
await call("delete", () => novu.environmentVariables.delete("HOME_URL"));
await refusedWith("retrieve deleted", 404, () => novu.environmentVariables.retrieve("HOME_URL"),
  errors.SDKError);

// --- Contexts, channel connections and endpoints
section("Contexts");
await call("create", () => novu.contexts.create({ type: "tenant", id: "acme", data: { plan: "pro" } }));
const context = await call("retrieve", () => novu.contexts.retrieve("acme", "tenant"));
check("retrieve reads back the data", context?.data?.plan === "pro");
await call("update", () =>
  novu.contexts.update({ id: "acme", type: "tenant", updateContextRequestDto: { data: { plan: "team" } } }),
);
const contexts = await call("list", () => novu.contexts.list({ limit: 10 }));
check("list has it", contexts?.data?.length === 1);
await refusedWith("create again", 409, () => novu.contexts.create({ type: "tenant", id: "acme" }));

section("Channel Connections");
await call("create", () =>
  novu.channelConnections.create({
    identifier: "ada-slack",
    subscriberId: "ada",
    integrationIdentifier: "slack-prod",
    workspace: { id: "T1", name: "Acme" },
    auth: { accessToken: "xoxb-1" },
  }),
);
await call("retrieve", () => novu.channelConnections.retrieve("ada-slack"));
await call("update", () =>
  novu.channelConnections.update({ workspace: { id: "T1", name: "Acme Inc" }, auth: { accessToken: "xoxb-2" } }, "ada-slack"),
);
const connections = await call("list", () => novu.channelConnections.list({ subscriberId: "ada" }));
check("list has it", connections?.data?.length === 1);
await refusedWith("create for a missing integration", 404, () =>
  novu.channelConnections.create({
    subscriberId: "ada",
    integrationIdentifier: "nope",
    workspace: { id: "T1" },
    auth: { accessToken: "x" },
  }),
);

section("Channel Endpoints");
await call("create", () =>
  novu.channelEndpoints.create({
    identifier: "ada-dm",
    subscriberId: "ada",
    integrationIdentifier: "slack-prod",
    type: "slack_user",
    endpoint: { userId: "U1" },
  }),
);
await call("retrieve", () => novu.channelEndpoints.retrieve("ada-dm"));
await call("update", () => novu.channelEndpoints.update({ endpoint: { userId: "U2" } }, "ada-dm"));
const endpoints = await call("list", () => novu.channelEndpoints.list({ subscriberId: "ada" }));
check("list has it", endpoints?.data?.length === 1);
await call("delete", () => novu.channelEndpoints.delete("ada-dm"));
await refusedWith("retrieve deleted", 404, () => novu.channelEndpoints.retrieve("ada-dm"));

section("Channel Connections");
await call("delete", () => novu.channelConnections.delete("ada-slack"));
await refusedWith("retrieve deleted", 404, () => novu.channelConnections.retrieve("ada-slack"));

section("Contexts");
await call("delete", () => novu.contexts.delete("acme", "tenant"));
await refusedWith("retrieve deleted", 404, () => novu.contexts.retrieve("acme", "tenant"));

// --- Domains and their routes
section("Domains");
await call("create", () => novu.domains.create({ name: "mail.example.com" }));
await call("retrieve", () => novu.domains.retrieve("mail.example.com"));
await call("update", () => novu.domains.update({ data: { team: "a" } }, "mail.example.com"));
const domains = await call("list", () => novu.domains.list({ limit: 10 }));
check("list has it", domains?.data?.length === 1);
await call("route", () =>
  novu.domains.routes.create({ address: "support", type: "webhook" }, "mail.example.com"),
);
await call("routes", () => novu.domains.routes.list({ domain: "mail.example.com" }));
await call("delete route", () => novu.domains.routes.delete("mail.example.com", "support"));
await call("delete", () => novu.domains.delete("mail.example.com"));
await refusedWith("retrieve deleted", 404, () => novu.domains.retrieve("mail.example.com"));

// --- Agents
section("Agents");
await call("create", () => novu.agents.create({ name: "Support", identifier: "support" }, "api"));
const agent = await call("retrieve", () => novu.agents.retrieve("support"));
check("retrieve reads back the name", agent?.name === "Support");
await call("update", () => novu.agents.update({ description: "Answers tickets" }, "support"));
const agents = await call("list", () => novu.agents.list({ limit: 10 }));
check("list has it", agents?.data?.length === 1);
const link = await call("link", () =>
  novu.agents.integrations.create({ integrationIdentifier: "slack-prod" }, "support"),
);
await call("links", () => novu.agents.integrations.list({ identifier: "support" }));
await call("unlink", () => novu.agents.integrations.delete("support", link?.id ?? "none"));
await refusedWith("link a missing integration", 404, () =>
  novu.agents.integrations.create({ integrationIdentifier: "nope" }, "support"),
  errors.SDKError,
);
await call("delete", () => novu.agents.delete("support", "false"));
await refusedWith("retrieve deleted", 404, () => novu.agents.retrieve("support"), errors.SDKError);

// --- the rest of Integrations, Workflows and Subscribers
section("Integrations");
await call("delete", () => novu.integrations.delete(made?.id ?? "none"));
section("Workflows");
await call("delete", () => novu.workflows.delete("welcome"));
section("Subscribers");
await call("delete", () => novu.subscribers.delete("bob"));
await refusedWith("retrieve deleted", 404, () => novu.subscribers.retrieve("bob"));

console.log(JSON.stringify({ calls, groups: [...groups].sort(), failures, refused }));
