//! Bad input to `drplan import`: each gets a clear error naming the file and where in it (line
//! and column, or the JSON path), or a skip the summary lists; none panics. And the CSV
//! inventory import, with what it creates and what it reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use drplan::import::{self, AzureOptions, CsvOptions, ImportError};
use drplan::model::*;

fn write(directory: &Path, name: &str, text: &str) -> PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn import_files(files: &[PathBuf]) -> Result<import::Imported, ImportError> {
    import::read_inputs(files).and_then(|inputs| import::azure(&inputs, &AzureOptions { name: "x".into(), primary: None, recovery: None }))
}

const VNET: &str = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1", "name": "v1", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
  "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1/subnets/a", "name": "a", "addressPrefix": "10.0.1.0/24"}]}"#;

#[test]
fn malformed_json_names_the_file_line_and_column() {
    let directory = tempfile::tempdir().unwrap();
    let file = write(directory.path(), "broken.json", "[\n  {\"id\": \"x\",\n   \"type\" \"y\"}\n]");
    let error = import_files(std::slice::from_ref(&file)).err().expect("refused");
    assert!(matches!(error, ImportError::Json { line: 3, .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.starts_with(&format!("{}:3:", file.display())) && text.contains("not valid JSON"), "{text}");
}

#[test]
fn a_file_of_another_tool_or_of_unrelated_objects_is_refused_with_its_json_path() {
    let directory = tempfile::tempdir().unwrap();
    let plan = sample_path("hybrid-full-region.drplan.json");
    let error = import_files(std::slice::from_ref(&plan)).err().expect("a drplan plan is no Azure listing").to_string();
    assert_eq!(error, format!("{} $: a drplan plan file, not Azure's description of an estate: open it instead", plan.display()));
    let tool = write(directory.path(), "package.json", r#"{"name": "web", "dependencies": {}}"#);
    let error = import_files(std::slice::from_ref(&tool)).err().expect("refused").to_string();
    assert_eq!(
        error,
        format!(
            "{} $: an object with fields dependencies, name, not an array of Azure resources (az network ... list) nor a Resource Graph page ({{count, data}})",
            tool.display()
        )
    );
    let unrelated = write(directory.path(), "people.json", r#"[{"name": "Ada"}, {"name": "Grace"}]"#);
    let error = import_files(std::slice::from_ref(&unrelated)).err().expect("refused").to_string();
    assert_eq!(error, format!("{} $: none of its 2 entries is an Azure resource (an object with `id` and `type`)", unrelated.display()));
    let number = write(directory.path(), "number.json", "42");
    assert!(import_files(&[number]).err().expect("refused").to_string().contains("$: a JSON number"));
    let page = write(directory.path(), "page.json", r#"{"count": 1, "data": {"oops": true}}"#);
    assert!(import_files(&[page]).err().expect("refused").to_string().ends_with("$.data: `data` is not an array of resources"));
}

#[test]
fn unrelated_entries_and_unknown_types_beside_azure_resources_are_skipped_and_listed() {
    let directory = tempfile::tempdir().unwrap();
    let mixed = write(
        directory.path(),
        "mixed.json",
        &format!(
            r#"[{VNET}, {{"hello": "world"}}, {{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", "name": "vm1", "type": "Microsoft.Compute/virtualMachines"}}]"#
        ),
    );
    let imported = import_files(&[mixed]).expect("imports the VNet");
    let skipped: Vec<(String, String)> = imported.summary.skipped.iter().map(|skip| (skip.origin.path.clone(), skip.why.clone())).collect();
    assert_eq!(skipped[0], ("$[1]".to_owned(), "not an Azure resource (it has no `id` and `type`)".to_owned()));
    assert_eq!(skipped[1], ("$[2]".to_owned(), "a resource type drplan does not import".to_owned()));
    assert_eq!(imported.plan.networks.len(), 1);
}

#[test]
fn references_to_resources_not_in_the_input_are_skipped_with_the_reason() {
    let directory = tempfile::tempdir().unwrap();
    let nic = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n1", "name": "n1", "type": "Microsoft.Network/networkInterfaces",
      "virtualMachine": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/VM1"},
      "ipConfigurations": [{"name": "c", "primary": true, "privateIPAddress": "10.9.0.4", "privateIPAllocationMethod": "Static", "subnet": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/elsewhere/subnets/x"}}]}"#;
    let connection = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/c1", "name": "c1", "type": "Microsoft.Network/connections", "connectionType": "IPsec",
      "virtualNetworkGateway1": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/missing"}, "sharedKey": "secret-never-shown"}"#;
    let file = write(directory.path(), "refs.json", &format!("[{VNET}, {nic}, {connection}]"));
    let imported = import_files(&[file]).expect("imports what it can");
    let reasons: Vec<String> = imported.summary.skipped.iter().map(|skip| format!("{} at {}: {}", skip.what, skip.origin.path, skip.why)).collect();
    assert_eq!(
        reasons,
        ["NIC \"n1\" at $[1]: its subnet is in no VNet of the input", "connection \"c1\" at $[2]: its virtual network gateway is not in the input"]
    );
    assert!(!imported.summary.text().contains("secret-never-shown"));
}

#[test]
fn concatenated_arrays_in_one_file_import_like_separate_files() {
    let directory = tempfile::tempdir().unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure/cli");
    let mut joined = String::new();
    let mut names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).collect();
    names.sort();
    for path in &names {
        joined.push_str(&std::fs::read_to_string(path).unwrap());
        joined.push('\n');
    }
    let one = write(directory.path(), "all.json", &joined);
    let together = import_files(&[one]).expect("imports").plan;
    let apart = import_files(&names).expect("imports").plan;
    assert_eq!(together, apart);
}

/// Large files: one over the limit is refused before it is read (a sparse file, so the test
/// writes nothing to disk); 100 MB of binary (sparse but its first MiB) is refused at its first byte; 100 MB of JSON that
/// is no Azure listing is read and refused.
#[test]
fn large_files_are_refused_clearly() {
    let directory = tempfile::tempdir().unwrap();
    let huge = directory.path().join("huge.json");
    std::fs::File::create(&huge).unwrap().set_len(import::MAX_INPUT_BYTES + 1).unwrap();
    assert!(matches!(import_files(&[huge]), Err(ImportError::TooLarge { .. })));

    // A disk image: 1 MiB of 0xFF written, then extended (sparse) to 100 MB.
    let binary = directory.path().join("disk.img");
    let mut file = std::fs::File::create(&binary).unwrap();
    file.write_all(&vec![0xFFu8; 1 << 20]).unwrap();
    file.set_len(100 << 20).unwrap();
    drop(file);
    let error = import_files(std::slice::from_ref(&binary)).err().expect("refused").to_string();
    assert_eq!(error, format!("{}:1:1: not UTF-8 text: byte 0 (from 0) is not part of a UTF-8 character", binary.display()));
    std::fs::remove_file(&binary).unwrap();

    let big = directory.path().join("big.json");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    let filler = "x".repeat(1000);
    file.write_all(b"[").unwrap();
    for index in 0..100_000 {
        if index > 0 {
            file.write_all(b",").unwrap();
        }
        write!(file, r#"{{"note": "{filler}"}}"#).unwrap();
    }
    file.write_all(b"]").unwrap();
    drop(file);
    assert!(std::fs::metadata(&big).unwrap().len() >= 100_000_000);
    let error = import_files(std::slice::from_ref(&big)).err().expect("refused").to_string();
    assert_eq!(error, format!("{} $: none of its 100000 entries is an Azure resource (an object with `id` and `type`)", big.display()));
}

#[test]
fn a_csv_inventory_adds_machines_creates_subnets_inside_the_site_and_reports_the_rest() {
    let plan = sample("vmm-change-ip.drplan.json");
    let csv = "Name,IPv4Address,Subnet,Allocation,Application,Tier,Recovery Group,Roles\n\
               APP02,192.168.1.21,192.168.1.0/24,static,Line-of-business app,application,2,\n\
               FILE01,192.168.5.10,192.168.5.0/24,dhcp,File shares,storage,3,\n\
               DHCP01,192.168.0.11,Infrastructure subnet,static,Infrastructure,infrastructure,1,DHCP;DNS\n\
               LOST01,10.99.0.5,10.99.0.0/24,static,Nowhere,web,1,\n\
               BAD01,not-an-ip,,static,,,1,\n\
               DB01,192.168.1.31,,static,,,1,\n";
    let imported = import::csv_inventory(&plan, Path::new("inventory.csv"), csv, &CsvOptions { site: "Primary VMM site".into() }).expect("imports");
    let added: Vec<&Machine> = imported.plan.machines.iter().filter(|machine| plan.machine(&machine.id).is_none()).collect();
    assert_eq!(added.iter().map(|machine| machine.name.as_str()).collect::<Vec<_>>(), ["APP02", "FILE01", "DHCP01"]);
    let file = added[1];
    assert_eq!((file.ip_allocation, file.recovery_group.get(), file.application.as_str()), (Allocation::Dhcp, 3, "File shares"));
    let created = imported.plan.subnet(&file.subnet).expect("subnet");
    assert_eq!(
        (created.prefix.to_string(), imported.plan.network(&created.network).map(|network| network.name.as_str())),
        ("192.168.5.0/24".to_owned(), Some("Primary VM network")),
        "created in the site's network that holds it"
    );
    assert_eq!(added[2].roles, [InfraRole::Dhcp, InfraRole::Dns]);
    assert_eq!(imported.plan.subnet(&added[2].subnet).map(|subnet| subnet.name.as_str()), Some("Infrastructure subnet"), "a subnet named, not a prefix");
    let reasons: Vec<String> = imported.summary.skipped.iter().map(|skip| format!("{} ({}): {}", skip.what, skip.origin.path, skip.why)).collect();
    assert_eq!(
        reasons,
        [
            "machine \"LOST01\" (line 5): subnet 10.99.0.0/24 is in no network of \"Primary VMM site\"; draw the network first",
            "machine \"BAD01\" (line 6): \"not-an-ip\" is not an IP address",
            "machine \"DB01\" (line 7): \"Primary VMM site\" already has a machine of that name",
        ]
    );
    assert!(imported.plan.machines.iter().all(|machine| machine.position.is_some()), "laid out");

    let no_header =
        import::csv_inventory(&plan, Path::new("inventory.csv"), "Host,Owner\nx,y\n", &CsvOptions { site: "site-primary".into() }).err().expect("refused");
    assert_eq!(no_header.to_string(), "inventory.csv:1: the header needs a name and an IP address column (found: Host, Owner)");
    let no_site = import::csv_inventory(&plan, Path::new("inventory.csv"), csv, &CsvOptions { site: "Mars".into() }).err().expect("refused");
    assert_eq!(no_site.to_string(), "--site Mars: the plan has no site with that id or name");
}
