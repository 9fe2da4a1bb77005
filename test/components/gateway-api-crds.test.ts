// GatewayApiCrds on its own under mocks: the pinned standard-channel release applied as published, or a mirror of it; anything else refused before a resource exists.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { GatewayApiCrds } from "../../components/gateway-api-crds";
import { GATEWAY_API } from "../../config/versions";

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as unknown as { promise(): Promise<T> }).promise();
}

async function build(args: ConstructorParameters<typeof GatewayApiCrds>[1]): Promise<Registered[]> {
  const seen: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(a) {
        seen.push({ type: a.type, name: a.name, inputs: a.inputs as Record<string, unknown> });
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call: () => ({}),
    },
    "meshlift",
    "t",
    false,
  );
  const crds = new GatewayApiCrds("gateway-api", args);
  await promiseOf(crds.manifest.urn);
  return seen;
}

describe("GatewayApiCrds", () => {
  it("applies the pinned release's standard-install manifest as published", async () => {
    const seen = await build({});
    assert.match(GATEWAY_API.manifest, /^https:\/\/.+\/v\d+\.\d+\.\d+\/standard-install\.yaml$/);
    assert.ok(GATEWAY_API.manifest.includes(`/v${GATEWAY_API.version.replace(/^v/, "")}/`));
    const files = seen.filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile");
    assert.deepEqual(
      files.map((r) => [r.name, r.inputs.file]),
      [[`gateway-api-${GATEWAY_API.channel}`, GATEWAY_API.manifest]],
    );
    assert.ok(seen.some((r) => r.type === "meshlift:istio:GatewayApiCrds"));
  });

  it("applies a mirror of that file when given one (a URL or a path)", async () => {
    for (const file of [
      "https://mirror.example.com/gateway-api/standard-install.yaml",
      "vendor/gwapi.yml",
    ]) {
      const seen = await build({ manifest: file });
      assert.deepEqual(
        seen.filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile").map((r) => r.inputs.file),
        [file],
      );
    }
  });

  it("refuses what is neither an https URL nor a path of a .yaml file, naming it", () => {
    for (const bad of [
      "http://mirror.example.com/standard-install.yaml",
      "standard-install.json",
      "a b.yaml",
      "",
      "https://x.example.com/install.yaml\nkind: Secret",
    ]) {
      assert.throws(
        () => new GatewayApiCrds(`bad-${bad.length}`, { manifest: bad }),
        (e: Error) =>
          e.message.includes(JSON.stringify(bad)) &&
          /not an https:\/\/ URL or a path/.test(e.message),
        bad,
      );
    }
  });
});
