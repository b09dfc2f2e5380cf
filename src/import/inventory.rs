//! An on-premises machine inventory as CSV (as VMM or vCenter exports it, with a header row):
//! each row a machine of one site of an existing plan, placed in the subnet its row names (by
//! prefix or name) or, without one, the subnet holding its address. A prefix the site has no
//! subnet for is created inside the site's network that contains it; anything else that does
//! not fit is reported, never guessed.

use std::net::IpAddr;
use std::path::Path;

use rustc_hash::FxHashSet;

use super::{ImportError, Imported, Origin, Skip, Summary, element_id};
use crate::model::*;

/// Where the inventory goes.
#[derive(Clone, Debug)]
pub struct CsvOptions {
    /// The site, by id or name.
    pub site: String,
}

/// The columns drplan reads, each under the header names inventories use for it.
const COLUMNS: [(&str, &[&str]); 8] = [
    ("name", &["name", "vm", "vmname", "computername", "hostname", "machine"]),
    ("ip", &["ip", "ipaddress", "ipv4address", "ipv4addresses", "ipaddresses", "address"]),
    ("subnet", &["subnet", "subnetprefix", "subnetname", "prefix"]),
    ("allocation", &["allocation", "ipallocation", "addresstype", "ipaddresstype"]),
    ("application", &["application", "app", "service"]),
    ("tier", &["tier", "role tier", "layer"]),
    ("group", &["recoverygroup", "group", "bootgroup"]),
    ("roles", &["roles", "role", "infrastructurerole", "infrastructureroles"]),
];

fn squeeze(header: &str) -> String {
    header.chars().filter(|character| character.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// Adds the machines of an inventory to `plan`.
pub fn csv_inventory(plan: &Plan, file: &Path, text: &str, options: &CsvOptions) -> Result<Imported, ImportError> {
    let csv_error = |line: u64, why: String| ImportError::Csv { file: file.to_owned(), line, why };
    let site = plan
        .sites
        .iter()
        .find(|site| site.id.as_str() == options.site)
        .or_else(|| plan.sites.iter().find(|site| site.name.eq_ignore_ascii_case(&options.site)))
        .ok_or_else(|| ImportError::Options(format!("--site {}: the plan has no site with that id or name", options.site)))?
        .clone();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|error| csv_error(1, error.to_string()))?.clone();
    let column = |wanted: &str| -> Option<usize> {
        let names = COLUMNS.iter().find(|(key, _)| *key == wanted).map(|(_, names)| *names).unwrap_or(&[]);
        headers.iter().position(|header| names.iter().any(|name| squeeze(name) == squeeze(header)))
    };
    let (Some(name_column), Some(ip_column)) = (column("name"), column("ip")) else {
        return Err(csv_error(1, format!("the header needs a name and an IP address column (found: {})", headers.iter().collect::<Vec<_>>().join(", "))));
    };
    let mut plan = plan.clone();
    let mut summary = Summary::default();
    let mut ids: FxHashSet<String> = plan.ids().map(str::to_owned).collect();
    let (mut machines, mut subnets) = (0, 0);
    // The site's networks do not change during the import (only subnets are added).
    let site_networks: Vec<NetworkId> = plan.networks_of(&site.id).map(|network| network.id.clone()).collect();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let record = record.map_err(|error| csv_error(line, error.to_string()))?;
        let cell = |column: Option<usize>| column.and_then(|column| record.get(column)).unwrap_or("").trim().to_owned();
        let origin = Origin { file: file.to_owned(), path: format!("line {line}") };
        let name = cell(Some(name_column));
        let skip = |summary: &mut Summary, why: String| summary.skipped.push(Skip { what: format!("machine \"{name}\""), origin: origin.clone(), why });
        if name.is_empty() {
            skip(&mut summary, "it has no name".to_owned());
            continue;
        }
        let ip_text = cell(Some(ip_column));
        let first_ip = ip_text.split([',', ';', ' ']).find(|part| !part.is_empty()).unwrap_or("");
        let Ok(ip) = first_ip.parse::<IpAddr>() else {
            skip(&mut summary, format!("\"{ip_text}\" is not an IP address"));
            continue;
        };
        if plan
            .machines
            .iter()
            .any(|machine| machine.name.eq_ignore_ascii_case(&name) && plan.network_of_subnet(&machine.subnet).is_some_and(|network| network.site == site.id))
        {
            skip(&mut summary, format!("\"{}\" already has a machine of that name", site.name));
            continue;
        }
        let subnet_cell = cell(column("subnet"));
        let in_site = |subnet: &&Subnet| site_networks.contains(&subnet.network);
        let subnet = if subnet_cell.is_empty() {
            match plan.subnets.iter().filter(in_site).find(|subnet| subnet.prefix.contains_ip(&ip)) {
                Some(subnet) => subnet.id.clone(),
                None => {
                    skip(&mut summary, format!("no subnet of \"{}\" holds {ip}, and the row names none", site.name));
                    continue;
                }
            }
        } else if let Ok(prefix) = subnet_cell.parse::<Prefix>() {
            match plan.subnets.iter().filter(in_site).find(|subnet| subnet.prefix == prefix) {
                Some(subnet) => subnet.id.clone(),
                None => {
                    let Some(network) = plan
                        .networks_of(&site.id)
                        .find(|network| network.address_space.iter().any(|space| space.contains_prefix(&prefix)))
                        .map(|network| network.id.clone())
                    else {
                        skip(&mut summary, format!("subnet {prefix} is in no network of \"{}\"; draw the network first", site.name));
                        continue;
                    };
                    let id = SubnetId::new(element_id(&mut ids, "sub", &prefix.to_string()));
                    plan.subnets.push(Subnet {
                        id: id.clone(),
                        name: prefix.to_string(),
                        network,
                        prefix,
                        allocation: Allocation::Static,
                        static_pool: None,
                        dhcp_range: None,
                        position: None,
                    });
                    subnets += 1;
                    id
                }
            }
        } else {
            match plan.subnets.iter().filter(in_site).find(|subnet| subnet.name.eq_ignore_ascii_case(&subnet_cell)) {
                Some(subnet) => subnet.id.clone(),
                None => {
                    skip(&mut summary, format!("\"{}\" has no subnet named \"{subnet_cell}\"", site.name));
                    continue;
                }
            }
        };
        if plan.subnet(&subnet).is_some_and(|found| !found.prefix.contains_ip(&ip)) {
            skip(&mut summary, format!("{ip} is not in the subnet the row names"));
            continue;
        }
        let allocation = match cell(column("allocation")).to_ascii_lowercase().as_str() {
            "dhcp" | "dynamic" => Allocation::Dhcp,
            _ => Allocation::Static,
        };
        let group = cell(column("group"));
        let recovery_group = if group.is_empty() {
            NonZeroU32::MIN
        } else {
            match group.parse::<NonZeroU32>() {
                Ok(group) => group,
                Err(_) => {
                    skip(&mut summary, format!("recovery group \"{group}\" is not a number from 1"));
                    continue;
                }
            }
        };
        let roles: Vec<InfraRole> = cell(column("roles"))
            .split([',', ';', '/', '|'])
            .filter_map(|role| match squeeze(role).as_str() {
                "domaincontroller" | "dc" | "ad" | "activedirectory" => Some(InfraRole::DomainController),
                "dns" => Some(InfraRole::Dns),
                "dhcp" => Some(InfraRole::Dhcp),
                _ => None,
            })
            .collect();
        plan.machines.push(Machine {
            id: MachineId::new(element_id(&mut ids, "vm", &name)),
            name,
            subnet,
            ip,
            ip_allocation: allocation,
            public_ip: None,
            application: cell(column("application")),
            tier: cell(column("tier")),
            roles,
            recovery_group,
            target: None,
            dns: None,
            azure: Azure::default(),
            position: None,
        });
        machines += 1;
    }
    crate::export::diagram::store_positions(&mut plan);
    summary.created = vec![("machines", machines), ("subnets", subnets)];
    Ok(Imported { plan: super::loadable(plan)?, summary })
}
